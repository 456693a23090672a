// ParseBody (vmim.h): a request body in JSON or YAML to one JSON object.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "api/k8s/media_type.h"
#include "api/k8s/status.h"
#include "api/k8s/vmim.h"

namespace migmon::api::k8s {

namespace {

// A YAML value JSON cannot represent, with where it is.
struct ConvertError {
  std::string message;
  YAML::Mark mark;
};

std::string Where(const YAML::Mark& mark) {
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

ParsedBody Fail(nlohmann::json status) { return {nullptr, std::move(status)}; }

bool OneOf(std::string_view text, std::initializer_list<std::string_view> spellings) {
  for (std::string_view s : spellings) {
    if (text == s) return true;
  }
  return false;
}

// strtod rather than stod: out-of-range values become +-inf (refused by the
// caller) instead of throwing.
double ParseDouble(std::string_view text) { return std::strtod(std::string(text).c_str(), nullptr); }

// Integers of the YAML 1.2 core schema: decimal with an optional sign, 0o
// octal, 0x hex. Too large for int64/uint64 -> a float, as a JSON number.
std::optional<nlohmann::json> ResolveInteger(std::string_view text) {
  int base = 10;
  std::string_view digits = text;
  bool negative = false;
  if (digits.starts_with("0x")) {
    base = 16;
    digits.remove_prefix(2);
  } else if (digits.starts_with("0o")) {
    base = 8;
    digits.remove_prefix(2);
  } else if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return std::nullopt;
  for (char c : digits) {
    bool ok = base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                         : (c >= '0' && c < static_cast<char>('0' + base));
    if (!ok) return std::nullopt;
  }
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (ec == std::errc::result_out_of_range) {
    double approx = 0;
    for (char c : digits) approx = approx * base + std::stoi(std::string(1, c), nullptr, 16);
    return nlohmann::json(negative ? -approx : approx);
  }
  if (!negative) return nlohmann::json(value);
  if (value <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) {
    return nlohmann::json(static_cast<int64_t>(0 - value));  // two's complement covers INT64_MIN
  }
  return nlohmann::json(-static_cast<double>(value));
}

// Floats of the YAML 1.2 core schema; infinities and NaN are refused later.
std::optional<double> ResolveFloat(std::string_view text) {
  if (OneOf(text, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) return INFINITY;
  if (OneOf(text, {"-.inf", "-.Inf", "-.INF"})) return -INFINITY;
  if (OneOf(text, {".nan", ".NaN", ".NAN"})) return NAN;
  // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i - start;
  };
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  size_t whole = digits();
  size_t fraction = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    fraction = digits();
  }
  if (whole == 0 && fraction == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    if (digits() == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  return ParseDouble(text);
}

nlohmann::json ResolvePlainScalar(const std::string& text) {
  if (OneOf(text, {"null", "Null", "NULL", "~", ""})) return nullptr;
  if (OneOf(text, {"true", "True", "TRUE"})) return true;
  if (OneOf(text, {"false", "False", "FALSE"})) return false;
  if (auto integer = ResolveInteger(text)) return *integer;
  if (auto number = ResolveFloat(text)) return *number;
  return text;
}

nlohmann::json ScalarToJson(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  // "!" is a quoted (or explicitly non-specific) scalar: always a string.
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return node.Scalar();
  nlohmann::json value = ResolvePlainScalar(node.Scalar());
  if (value.is_number_float() && !std::isfinite(value.get<double>())) {
    throw ConvertError{"json: unsupported value: " + node.Scalar(), node.Mark()};
  }
  return value;
}

nlohmann::json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar:
      return ScalarToJson(node);
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      for (const YAML::Node& item : node) array.push_back(YamlToJson(item));
      return array;
    }
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (const auto& entry : node) {
        // JSON keys are strings; a scalar key keeps its spelling (1: x -> "1").
        if (!entry.first.IsScalar()) throw ConvertError{"a mapping key must be a scalar", entry.first.Mark()};
        object[entry.first.Scalar()] = YamlToJson(entry.second);
      }
      return object;
    }
    case YAML::NodeType::Undefined:
      break;
  }
  return nullptr;
}

ParsedBody ParseYaml(std::string_view body) {
  std::vector<YAML::Node> documents;
  try {
    for (YAML::Node& document : YAML::LoadAll(std::string(body))) {
      if (!document.IsNull()) documents.push_back(document);  // "---" alone opens an empty one
    }
  } catch (const YAML::Exception& e) {
    return Fail(BadRequest("error converting YAML to JSON: yaml: " + Where(e.mark) + ": " + e.msg));
  }
  if (documents.size() != 1) {
    return Fail(BadRequest(documents.empty() ? "the request body is empty"
                                             : "the request body holds " + std::to_string(documents.size()) +
                                                   " YAML documents; send one object per request"));
  }
  try {
    return {YamlToJson(documents.front()), std::nullopt};
  } catch (const ConvertError& e) {
    return Fail(BadRequest("error converting YAML to JSON: yaml: " + Where(e.mark) + ": " + e.message));
  }
}

ParsedBody ParseJson(std::string_view body) {
  try {
    return {nlohmann::json::parse(body), std::nullopt};
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based and points just past the offending character.
    size_t end = std::min(e.byte == 0 ? 0 : e.byte - 1, body.size());
    size_t line = 1, column = 1;
    for (size_t i = 0; i < end; ++i) {
      if (body[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    // Keep nlohmann's explanation, drop its "[json.exception...] parse error at ...:" prefix.
    std::string what = e.what();
    size_t explanation = what.find(": ", what.find("parse error"));
    if (explanation != std::string::npos) what = what.substr(explanation + 2);
    return Fail(BadRequest("json parse error: line " + std::to_string(line) + ", column " + std::to_string(column) +
                           ": " + what));
  }
}

bool IsBlank(std::string_view body) {
  return body.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

ParsedBody ParseBody(std::string_view body, std::string_view content_type) {
  const std::string type = ParseMediaType(content_type).type;
  const bool json = type.empty() || type == "application/json";
  const bool yaml = type == "application/yaml" || type == "application/x-yaml" || type == "text/yaml";
  if (!json && !yaml) return Fail(UnsupportedMediaType(content_type));
  if (IsBlank(body)) return Fail(BadRequest("the request body is empty"));

  ParsedBody parsed = json ? ParseJson(body) : ParseYaml(body);
  if (!parsed.error && !parsed.object.is_object()) {
    return Fail(BadRequest("the request body must be one object, got " + std::string(parsed.object.type_name())));
  }
  return parsed;
}

}  // namespace migmon::api::k8s

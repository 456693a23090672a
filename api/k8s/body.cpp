// ParseBody (vmim.h): a request body in JSON or YAML to one JSON object.
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
#include "util/yaml_reader.h"

namespace migmon::api::k8s {

namespace {

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

// Untrusted input: a body may nest at most this deep, whatever its syntax.
// kube-apiserver allows 10,000; a C++ stack is fixed and later copies of the
// object recurse, while a migration object nests 4 deep.
constexpr size_t kMaxDepth = 1000;

nlohmann::json ScalarToJson(const yaml::Scalar& scalar) {
  // A quoted scalar, or one tagged "!" or !!str, is always a string.
  if (!scalar.plain || scalar.tag == "!" || scalar.tag == "tag:yaml.org,2002:str") return std::string(scalar.value);
  nlohmann::json value = ResolvePlainScalar(std::string(scalar.value));
  if (value.is_number_float() && !std::isfinite(value.get<double>())) {
    throw yaml::YamlError{"json: unsupported value: " + std::string(scalar.value), scalar.mark};
  }
  return value;
}

// Builds one JSON value per YAML document, iteratively: a stack of open
// containers, each value moved into its parent when it is complete.
class JsonBuilder : public yaml::YamlHandler {
 public:
  std::vector<nlohmann::json>& documents() { return documents_; }

  void BeginDocument(const yaml::Mark&) override {}
  void EndDocument() override {}
  void OnScalar(const yaml::Scalar& scalar) override {
    if (ExpectsKey()) {
      // JSON keys are strings; a scalar key keeps its spelling (1: x -> "1").
      open_.back().key = std::string(scalar.value);
      return;
    }
    Add(ScalarToJson(scalar));
  }
  void BeginSequence(const yaml::Mark& mark) override { Open(nlohmann::json::array(), mark); }
  void BeginMapping(const yaml::Mark& mark) override { Open(nlohmann::json::object(), mark); }
  void EndCollection() override {
    nlohmann::json done = std::move(open_.back().value);
    open_.pop_back();
    Add(std::move(done));
  }

 private:
  struct Container {
    nlohmann::json value;
    std::optional<std::string> key;  // a mapping's key waiting for its value
  };

  bool ExpectsKey() const { return !open_.empty() && open_.back().value.is_object() && !open_.back().key; }

  void Open(nlohmann::json empty, const yaml::Mark& mark) {
    if (ExpectsKey()) throw yaml::YamlError{"a mapping key must be a scalar", mark};
    open_.push_back({std::move(empty), std::nullopt});
  }

  void Add(nlohmann::json value) {
    if (open_.empty()) {
      documents_.push_back(std::move(value));
      return;
    }
    Container& parent = open_.back();
    if (parent.value.is_array()) {
      parent.value.push_back(std::move(value));
    } else {
      parent.value[*parent.key] = std::move(value);
      parent.key.reset();
    }
  }

  std::vector<nlohmann::json> documents_;
  std::vector<Container> open_;
};

ParsedBody ParseYaml(std::string_view body) {
  JsonBuilder builder;
  yaml::Limits limits;
  limits.max_depth = kMaxDepth;
  if (auto error = yaml::ReadYaml(body, builder, limits)) {
    return Fail(BadRequest("error converting YAML to JSON: yaml: " + yaml::Where(error->mark) + ": " + error->message));
  }
  std::vector<nlohmann::json> documents;
  for (auto& document : builder.documents()) {
    if (!document.is_null()) documents.push_back(std::move(document));  // "---" alone opens an empty one
  }
  if (documents.size() != 1) {
    return Fail(BadRequest(documents.empty() ? "the request body is empty"
                                             : "the request body holds " + std::to_string(documents.size()) +
                                                   " YAML documents; send one object per request"));
  }
  return {std::move(documents.front()), std::nullopt};
}

struct TooDeep {};

// "line L, column C" of nlohmann's 1-based byte position (it points just
// past the offending character).
std::string JsonWhere(std::string_view body, size_t byte) {
  size_t end = std::min(byte == 0 ? 0 : byte - 1, body.size());
  size_t line = 1, column = 1;
  for (size_t i = 0; i < end; ++i) {
    if (body[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann's explanation without its "[json.exception...] ...:" prefix.
std::string Explanation(const nlohmann::json::exception& e, std::string_view after) {
  std::string what = e.what();
  size_t explanation = what.find(": ", what.find(after));
  return explanation == std::string::npos ? what : what.substr(explanation + 2);
}

ParsedBody ParseJson(std::string_view body) {
  // nlohmann's parser is iterative; the callback stops a nesting that later
  // recursive copies could not survive.
  auto depth_guard = [](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
    const bool opens = event == nlohmann::json::parse_event_t::object_start ||
                       event == nlohmann::json::parse_event_t::array_start;
    if (opens && static_cast<size_t>(depth) >= kMaxDepth) throw TooDeep{};
    return true;
  };
  try {
    return {nlohmann::json::parse(body, depth_guard), std::nullopt};
  } catch (const TooDeep&) {
    return Fail(BadRequest("json parse error: nested deeper than " + std::to_string(kMaxDepth) + " levels"));
  } catch (const nlohmann::json::parse_error& e) {
    return Fail(BadRequest("json parse error: " + JsonWhere(body, e.byte) + ": " + Explanation(e, "parse error")));
  } catch (const nlohmann::json::exception& e) {
    // Numbers beyond a double ("1e400") and the like: not a syntax error, still the client's.
    return Fail(BadRequest("json parse error: " + Explanation(e, "json.exception")));
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

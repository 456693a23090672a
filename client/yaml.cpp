#include "client/yaml.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace migmon::client {
namespace {

using nlohmann::json;

bool PlainSafe(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ' || s.back() == ':') return false;
  // Start with a letter, '_' or '/': no number, timestamp, indicator, or
  // ".inf"/".nan" can begin that way.
  const auto first = static_cast<unsigned char>(s.front());
  if (!std::isalpha(first) && first != '_' && first != '/') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (std::isalnum(c) || c == ' ' || c == '_' || c == '.' || c == '/' || c == '-' || c == '@' || c == '+' ||
        c == '=' || c == '(' || c == ')') {
      continue;
    }
    if (c == ':' && i + 1 < s.size() && s[i + 1] != ' ') continue;  // "a:b" is plain, "a: b" is a mapping
    return false;
  }
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  static constexpr std::array<std::string_view, 9> kReserved = {"true", "false", "yes", "no", "on",
                                                                "off", "y",     "n",   "null"};
  return std::find(kReserved.begin(), kReserved.end(), lower) == kReserved.end();
}

std::string Scalar(const json& v) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (PlainSafe(s)) return s;
    return v.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return v.dump();  // numbers, booleans, null
}

bool IsEmptyCollection(const json& v) { return (v.is_object() || v.is_array()) && v.empty(); }

void Emit(const json& v, int indent, std::string& out);

// After "key:" or "-": a scalar or empty collection on the same line, a
// collection on the following lines.
void EmitValueAfterIndicator(const json& v, int indent, std::string& out) {
  if (v.is_object() && !v.empty()) {
    out += '\n';
    Emit(v, indent + 2, out);
  } else if (v.is_array() && !v.empty()) {
    out += '\n';
    Emit(v, indent + 2, out);
  } else {
    out += ' ';
    out += IsEmptyCollection(v) ? (v.is_object() ? "{}" : "[]") : Scalar(v);
    out += '\n';
  }
}

void Emit(const json& v, int indent, std::string& out) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  if (v.is_object()) {
    for (const auto& [key, value] : v.items()) {
      out += pad + Scalar(json(key)) + ":";
      EmitValueAfterIndicator(value, indent, out);
    }
  } else if (v.is_array()) {
    for (const auto& item : v) {
      if (item.is_object() && !item.empty()) {
        // "- key: v" then the other keys aligned under the first.
        std::string nested;
        Emit(item, indent + 2, nested);
        out += pad + "- " + nested.substr(static_cast<size_t>(indent) + 2);
      } else {
        out += pad + "-";
        EmitValueAfterIndicator(item, indent, out);
      }
    }
  } else {
    out += pad + Scalar(v) + "\n";
  }
}

}  // namespace

std::string ToYaml(const json& value) {
  if (IsEmptyCollection(value)) return value.is_object() ? "{}\n" : "[]\n";
  std::string out;
  Emit(value, 0, out);
  return out;
}

}  // namespace migmon::client

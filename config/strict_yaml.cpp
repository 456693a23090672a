#include "config/strict_yaml.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <set>
#include <stdexcept>

#include "config/config.h"
#include "config/duration.h"
#include "config/quantity.h"
#include "config/quote.h"

namespace migmon::config::detail {

namespace {

// yaml-cpp's tag for a plain (unquoted, untagged) scalar. Quoted scalars get
// "!", explicitly tagged ones their tag; only plain ones may be numbers/bools.
constexpr std::string_view kPlainScalarTag = "?";

bool IsIdentifierKey(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool IsPlain(const YAML::Node& node) { return node.Tag() == kPlainScalarTag; }

void RequireScalar(const YAML::Node& node, const std::string& path, std::string_view expected) {
  if (!node.IsScalar()) ThrowWrongType(node, path, expected);
}

// "between 1 and 10", or ">= 1" when the upper bound is just the type's limit.
std::string RangeText(int64_t min, int64_t max) {
  if (max == std::numeric_limits<int64_t>::max()) return ">= " + std::to_string(min);
  return "between " + std::to_string(min) + " and " + std::to_string(max);
}

}  // namespace

std::string ChildPath(std::string_view parent, std::string_view key) {
  if (!IsIdentifierKey(key)) return std::string(parent) + "[" + Quoted(key) + "]";
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

std::string IndexPath(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string Describe(const YAML::Node& node) {
  if (!node.IsDefined()) return "nothing";  // Type() would throw on a missing key's node
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return Quoted(node.Scalar());
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "an empty value";
}

void ThrowWrongType(const YAML::Node& node, const std::string& path, std::string_view expected) {
  throw ConfigError(path, "expected " + std::string(expected) + ", got " + Describe(node));
}

std::vector<MapEntry> MapEntries(const YAML::Node& node, const std::string& path) {
  std::vector<MapEntry> entries;
  if (node.IsNull()) return entries;
  if (!node.IsMap()) ThrowWrongType(node, path, "a map");
  std::set<std::string> seen;
  for (const auto& pair : node) {
    if (!pair.first.IsScalar()) ThrowWrongType(pair.first, path, "a plain key");
    const std::string& key = pair.first.Scalar();
    std::string key_path = ChildPath(path, key);
    if (!seen.insert(key).second) throw ConfigError(key_path, "key " + Quoted(key) + " appears twice");
    entries.push_back({key, std::move(key_path), pair.second});
  }
  return entries;
}

std::vector<YAML::Node> ListItems(const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) ThrowWrongType(node, path, "a list");
  return {node.begin(), node.end()};
}

void ThrowUnknownKey(const UnknownKey& unknown) {
  throw ConfigError(unknown.path, "unknown key " + Quoted(unknown.key) +
                                      " (expected one of: " + std::string(unknown.known_keys) + ")");
}

void ReadFields(const YAML::Node& map, const std::string& path, std::span<const Field> fields,
                const UnknownKeyHandler& on_unknown) {
  std::string known_keys;
  for (const Field& field : fields) {
    if (!known_keys.empty()) known_keys += ", ";
    known_keys += field.key;
  }
  for (const MapEntry& entry : MapEntries(map, path)) {
    const auto field = std::find_if(fields.begin(), fields.end(),
                                    [&](const Field& candidate) { return candidate.key == entry.key; });
    if (field == fields.end()) {
      on_unknown(UnknownKey{entry.key, entry.path, known_keys});
    } else {
      field->read(entry.value, entry.path);
    }
  }
}

std::string ReadString(const YAML::Node& node, const std::string& path) {
  std::string text = ReadStringOrEmpty(node, path);
  if (text.empty()) throw ConfigError(path, "\"\" is empty; give a value or omit the key");
  return text;
}

std::string ReadStringOrEmpty(const YAML::Node& node, const std::string& path) {
  RequireScalar(node, path, "a string");
  return node.Scalar();
}

size_t ReadChoice(const YAML::Node& node, const std::string& path, std::span<const std::string_view> names,
                  std::string_view what) {
  const std::string text = ReadString(node, path);
  const auto found = std::find(names.begin(), names.end(), text);
  if (found != names.end()) return static_cast<size_t>(found - names.begin());
  std::string choices;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) choices += i + 1 == names.size() ? " or " : ", ";
    choices += names[i];
  }
  throw ConfigError(path, Quoted(text) + " is not " + std::string(what) + " (use " + choices + ")");
}

bool ReadBool(const YAML::Node& node, const std::string& path) {
  RequireScalar(node, path, "true or false");
  // YAML 1.2 core schema spellings; YAML 1.1's yes/no/on/off are exactly the
  // ambiguity strictness is meant to catch.
  static constexpr std::array<std::string_view, 3> kTrue{"true", "True", "TRUE"};
  static constexpr std::array<std::string_view, 3> kFalse{"false", "False", "FALSE"};
  const std::string& text = node.Scalar();
  const bool is_true = std::find(kTrue.begin(), kTrue.end(), text) != kTrue.end();
  const bool is_false = std::find(kFalse.begin(), kFalse.end(), text) != kFalse.end();
  if (!is_true && !is_false) {
    throw ConfigError(path, Describe(node) + " is not a boolean (use true or false)");
  }
  if (!IsPlain(node)) {
    throw ConfigError(path, Describe(node) + " is a quoted string; write true or false without quotes");
  }
  return is_true;
}

int64_t ReadInteger(const YAML::Node& node, const std::string& path, int64_t min, int64_t max) {
  RequireScalar(node, path, "an integer");
  std::string_view digits = node.Scalar();
  if (!digits.empty() && digits[0] == '+') digits.remove_prefix(1);  // from_chars rejects '+'
  int64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  const bool is_integer_text = !digits.empty() && digits[0] != '+' &&  // a second sign
                               end == digits.data() + digits.size() &&
                               (error == std::errc() || error == std::errc::result_out_of_range);
  if (!is_integer_text) {
    throw ConfigError(path, Describe(node) + " is not an integer");
  }
  if (!IsPlain(node)) {
    throw ConfigError(path, Describe(node) + " is a quoted string; write the integer without quotes");
  }
  if (error == std::errc::result_out_of_range || value < min || value > max) {
    throw ConfigError(path, Describe(node) + " is out of range (must be " + RangeText(min, max) + ")");
  }
  return value;
}

uint32_t ReadUint32(const YAML::Node& node, const std::string& path, uint32_t min) {
  return static_cast<uint32_t>(ReadInteger(node, path, min, std::numeric_limits<uint32_t>::max()));
}

uint64_t ReadQuantity(const YAML::Node& node, const std::string& path, uint64_t min) {
  RequireScalar(node, path, "a quantity (e.g. 64Mi)");
  uint64_t bytes = 0;
  try {
    bytes = ParseQuantity(node.Scalar());
  } catch (const std::invalid_argument& error) {
    throw ConfigError(path, error.what());
  }
  if (bytes < min) {
    throw ConfigError(path, Describe(node) + " is out of range (must be >= " + FormatQuantity(min) + ")");
  }
  return bytes;
}

std::chrono::milliseconds ReadDuration(const YAML::Node& node, const std::string& path,
                                       std::chrono::milliseconds min, std::chrono::milliseconds max) {
  RequireScalar(node, path, "a duration (e.g. 500ms)");
  std::chrono::milliseconds value{};
  try {
    value = ParseDuration(node.Scalar());
  } catch (const std::invalid_argument& error) {
    throw ConfigError(path, error.what());
  }
  if (value < min || value > max) {
    const std::string range = max == std::chrono::milliseconds::max()
                                  ? ">= " + FormatDuration(min)
                                  : "between " + FormatDuration(min) + " and " + FormatDuration(max);
    throw ConfigError(path, Describe(node) + " is out of range (must be " + range + ")");
  }
  return value;
}

}  // namespace migmon::config::detail

// Internal to config/: strict readers for YAML values.
//
// yaml-cpp's as<T>() is lenient (it accepts "150" for an int and "yes" for a
// bool); these readers are not. Each one checks the node's type and spelling
// itself and throws ConfigError(path, why) with why() quoting the value, so
// every caller reports errors the same way.
//
// Thread-safety: stateless functions; yaml-cpp nodes must not be shared
// between threads while being read.
#pragma once

#include <yaml-cpp/yaml.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace migmon::config::detail {

// "parent.key", or parent["key"] when the key is not a plain identifier
// (e.g. label keys with dots and slashes). A key at the root is just "key".
std::string ChildPath(std::string_view parent, std::string_view key);
// "parent[index]".
std::string IndexPath(std::string_view parent, size_t index);

// How a value is named in messages: "\"text\"" for a scalar, else "a map",
// "a list" or "an empty value".
std::string Describe(const YAML::Node& node);

// Throws ConfigError(path, "expected <expected>, got <Describe(node)>").
[[noreturn]] void ThrowWrongType(const YAML::Node& node, const std::string& path, std::string_view expected);

struct MapEntry {
  std::string key;
  std::string path;  // ChildPath(map path, key)
  YAML::Node value;
};
// The entries of a map in document order. An empty value ("migration:" with
// every field commented out) is an empty map. Throws when `node` is not a
// map, a key is not a scalar, or a key repeats (yaml-cpp keeps both silently).
std::vector<MapEntry> MapEntries(const YAML::Node& node, const std::string& path);

// The items of a list. Throws when `node` is not a list.
std::vector<YAML::Node> ListItems(const YAML::Node& node, const std::string& path);

// A key of a map that no Field claimed.
struct UnknownKey {
  std::string_view key;
  const std::string& path;
  std::string_view known_keys;  // "a, b, c", for messages
};
using UnknownKeyHandler = std::function<void(const UnknownKey&)>;
// Throws ConfigError(path, "unknown key \"key\" (expected one of: ...)").
[[noreturn]] void ThrowUnknownKey(const UnknownKey& unknown);

struct Field {
  std::string_view key;
  std::function<void(const YAML::Node& value, const std::string& path)> read;
};
// Calls the matching Field::read for every entry of the map at `path`, and
// `on_unknown` for entries no field claims. Absent keys are not visited, so
// callers keep their defaults.
void ReadFields(const YAML::Node& map, const std::string& path, std::span<const Field> fields,
                const UnknownKeyHandler& on_unknown = ThrowUnknownKey);

// Any non-empty scalar, quoted or not ("dataDir: 123" is the string "123").
std::string ReadString(const YAML::Node& node, const std::string& path);
// ReadString that also accepts an explicit "" (for keys whose documented
// default is ""); a key with no value at all is still an error.
std::string ReadStringOrEmpty(const YAML::Node& node, const std::string& path);
// A string spelled exactly as one of `names` (case included); returns its
// index. Otherwise throws ConfigError(path, "\"x\" is not <what> (use a, b or c)"),
// `what` with its article ("a naming").
size_t ReadChoice(const YAML::Node& node, const std::string& path, std::span<const std::string_view> names,
                  std::string_view what);
// ReadChoice over the YAML spellings name(value) of `values`.
template <typename Enum, size_t N>
Enum ReadEnum(const YAML::Node& node, const std::string& path, const std::array<Enum, N>& values,
              std::string_view (*name)(Enum), std::string_view what) {
  std::array<std::string_view, N> names;
  for (size_t i = 0; i < N; ++i) names[i] = name(values[i]);
  return values[ReadChoice(node, path, names, what)];
}
// A plain true/false (also True/TRUE/False/FALSE); never "yes", never quoted.
bool ReadBool(const YAML::Node& node, const std::string& path);
// A plain decimal integer in [min, max]; never quoted, never "1.5" or "0x10".
int64_t ReadInteger(const YAML::Node& node, const std::string& path, int64_t min, int64_t max);
// ReadInteger narrowed to uint32_t, in [min, UINT32_MAX].
uint32_t ReadUint32(const YAML::Node& node, const std::string& path, uint32_t min);
// A quantity string ("64Mi") or plain non-negative integer, in bytes
// (config/quantity.h), at least `min`.
uint64_t ReadQuantity(const YAML::Node& node, const std::string& path, uint64_t min = 0);
// A Go duration (config/duration.h) in [min, max]; max =
// std::chrono::milliseconds::max() means no upper bound beyond the grammar's.
std::chrono::milliseconds ReadDuration(const YAML::Node& node, const std::string& path,
                                       std::chrono::milliseconds min, std::chrono::milliseconds max);

}  // namespace migmon::config::detail

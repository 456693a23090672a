// A YAML reader for untrusted text: libyaml's event parser with limits.
//
// Every YAML text this project reads (API request bodies, the config file,
// a KubeVirt CR) goes through ReadYaml. It hands each document to a
// YamlHandler as a flat stream of events with aliases already expanded, so
// builders never see an alias and never recurse. Limits bound the work and
// memory any input can cost:
//   - max_depth: nested collections (the reader and builders are iterative;
//     the bound protects later recursive consumers such as a JSON copy);
//   - max_nodes: nodes produced, alias expansions included;
//   - max_alias_nodes: nodes produced by expanding aliases (an alias bomb of
//     10^9 nodes in 400 bytes stops here, in milliseconds; a config that
//     shares a label block among a thousand nodes stays well inside);
//   - max_scalar_bytes: scalar text produced, expansions counted again;
//   - an alias to a node that contains it (`&a [*a]`) and an alias to an
//     unknown anchor are errors.
// libyaml's own work is linear in the input, so callers bound the text size.
//
// Errors: ReadYaml returns a YamlError with a message and a 1-based mark;
// handlers signal their own errors by throwing YamlError, which ReadYaml
// returns the same way. Nothing else is thrown for any input.
// Thread-safety: no shared state; concurrent calls with their own handlers
// are safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace migmon::yaml {

// 1-based line and column, as editors count.
struct Mark {
  size_t line = 1;
  size_t column = 1;
};

std::string Where(const Mark& mark);  // "line 3, column 8"

struct YamlError {
  std::string message;
  Mark mark;
};

struct Limits {
  size_t max_depth = 1000;
  size_t max_nodes = 1'000'000;
  size_t max_alias_nodes = 20'000;
  size_t max_scalar_bytes = 16u << 20;
};

struct Scalar {
  std::string_view value;
  // The resolved tag: "" when none was written; "!" for the non-specific
  // tag; otherwise the full tag ("!!str" arrives as "tag:yaml.org,2002:str").
  std::string_view tag;
  bool plain = false;  // written without quotes or block indicators
  Mark mark;
};

// Receives one document at a time, in document order. A mapping's events
// alternate key, value. Throw YamlError to stop reading.
class YamlHandler {
 public:
  virtual ~YamlHandler() = default;
  virtual void BeginDocument(const Mark& mark) = 0;
  virtual void EndDocument() = 0;
  virtual void OnScalar(const Scalar& scalar) = 0;
  virtual void BeginSequence(const Mark& mark) = 0;
  virtual void BeginMapping(const Mark& mark) = 0;
  virtual void EndCollection() = 0;  // of the innermost open sequence or mapping
};

// Reads every document of `text`; nullopt on success.
std::optional<YamlError> ReadYaml(std::string_view text, YamlHandler& handler, const Limits& limits = {});

}  // namespace migmon::yaml

#include "util/yaml_reader.h"

#include <yaml.h>

#include <cstdint>
#include <limits>
#include <map>
#include <vector>

namespace migmon::yaml {

std::string Where(const Mark& mark) {
  return "line " + std::to_string(mark.line) + ", column " + std::to_string(mark.column);
}

namespace {

constexpr size_t kOpen = std::numeric_limits<size_t>::max();

Mark FromLibyaml(const yaml_mark_t& mark) { return {mark.line + 1, mark.column + 1}; }

// libyaml's reader errors (bad UTF-8, control characters) carry a byte
// offset instead of a mark.
Mark FromOffset(std::string_view text, size_t offset) {
  Mark mark;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++mark.line;
      mark.column = 1;
    } else {
      ++mark.column;
    }
  }
  return mark;
}

std::string Text(const yaml_char_t* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

// One node event as recorded for replay by aliases.
struct Recorded {
  enum class Kind : uint8_t { kScalar, kSequence, kMapping, kEnd };
  Kind kind;
  std::string value;
  std::string tag;
  bool plain = false;
  Mark mark;
};

// Holds one document's recorded events and anchors, and passes every event
// (expanded or not) through the limits to the handler.
class Expander {
 public:
  Expander(YamlHandler& handler, const Limits& limits) : handler_(handler), limits_(limits) {}

  void BeginDocument(const Mark& mark) {
    recorded_.clear();
    anchors_.clear();
    open_.clear();
    recording_ = 0;
    handler_.BeginDocument(mark);
  }

  void EndDocument() { handler_.EndDocument(); }

  void Node(Recorded event, const std::string& anchor) {
    if (event.kind == Recorded::Kind::kScalar) {
      if (!anchor.empty()) anchors_[anchor] = {recorded_.size(), recorded_.size() + 1};
      Emit(std::move(event), !anchor.empty());
      return;
    }
    open_.push_back({anchor, recorded_.size()});
    if (!anchor.empty()) {
      anchors_[anchor] = {recorded_.size(), kOpen};
      ++recording_;
    }
    Emit(std::move(event));
  }

  void End(const Mark& mark) {
    const Open closing = open_.back();
    open_.pop_back();
    Emit({Recorded::Kind::kEnd, {}, {}, false, mark});
    if (closing.anchor.empty()) return;
    --recording_;
    auto it = anchors_.find(closing.anchor);
    // Still the same definition (an inner node may have taken the name since).
    if (it != anchors_.end() && it->second.begin == closing.begin) it->second.end = recorded_.size();
  }

  void Alias(const std::string& anchor, const Mark& mark) {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) throw YamlError{"unknown anchor '" + anchor + "' referenced", mark};
    if (it->second.end == kOpen) {
      throw YamlError{"alias *" + anchor + " refers to a node that contains it (an endless structure)", mark};
    }
    // Iterative: recorded events hold no aliases (they were expanded when
    // recorded), so a copy is a flat loop whatever the nesting of anchors.
    const auto [begin, end] = it->second;
    for (size_t i = begin; i < end; ++i) {
      Recorded copy = recorded_[i];
      if (copy.kind != Recorded::Kind::kEnd && ++alias_nodes_ > limits_.max_alias_nodes) {
        throw YamlError{"aliases expand to more than " + std::to_string(limits_.max_alias_nodes) + " nodes", mark};
      }
      Emit(std::move(copy));
    }
  }

 private:
  struct Range {
    size_t begin;
    size_t end;  // kOpen while the anchored collection is still being read
  };
  struct Open {
    std::string anchor;
    size_t begin;
  };

  // Passes one event through the limits to the handler, and keeps it for
  // replay while inside an anchored collection (or when `keep`).
  void Emit(Recorded event, bool keep = false) {
    switch (event.kind) {
      case Recorded::Kind::kScalar:
        Count(event);
        handler_.OnScalar({event.value, event.tag, event.plain, event.mark});
        break;
      case Recorded::Kind::kSequence:
      case Recorded::Kind::kMapping:
        Count(event);
        if (++depth_ > limits_.max_depth) {
          throw YamlError{"nested deeper than " + std::to_string(limits_.max_depth) + " levels", event.mark};
        }
        if (event.kind == Recorded::Kind::kSequence) {
          handler_.BeginSequence(event.mark);
        } else {
          handler_.BeginMapping(event.mark);
        }
        break;
      case Recorded::Kind::kEnd:
        --depth_;
        handler_.EndCollection();
        break;
    }
    if (recording_ > 0 || keep) recorded_.push_back(std::move(event));
  }

  void Count(const Recorded& event) {
    if (++nodes_ > limits_.max_nodes) {
      throw YamlError{"more than " + std::to_string(limits_.max_nodes) + " nodes", event.mark};
    }
    scalar_bytes_ += event.value.size();
    if (scalar_bytes_ > limits_.max_scalar_bytes) {
      throw YamlError{"more than " + std::to_string(limits_.max_scalar_bytes) + " bytes of values (aliases expanded)",
                      event.mark};
    }
  }

  YamlHandler& handler_;
  const Limits& limits_;
  std::vector<Recorded> recorded_;
  std::map<std::string, Range> anchors_;
  std::vector<Open> open_;
  size_t recording_ = 0;  // open anchored collections
  size_t depth_ = 0;
  // Counted over the whole stream, so many documents cannot reset them.
  size_t nodes_ = 0;
  size_t alias_nodes_ = 0;
  size_t scalar_bytes_ = 0;
};

// Owners of libyaml's C structs. libyaml zeroes an event before filling it,
// so deleting one that failed to parse is safe.
struct Event {
  yaml_event_t raw{};
  Event() = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  ~Event() { yaml_event_delete(&raw); }
};

struct Parser {
  yaml_parser_t raw{};
  bool initialized = false;
  Parser() : initialized(yaml_parser_initialize(&raw) != 0) {}
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
  ~Parser() {
    if (initialized) yaml_parser_delete(&raw);
  }
};

YamlError ParserError(const yaml_parser_t& parser, std::string_view text) {
  if (parser.error == YAML_MEMORY_ERROR) return {"out of memory", {}};
  std::string message = parser.problem ? parser.problem : "unknown error";
  if (parser.error == YAML_READER_ERROR) return {message, FromOffset(text, parser.problem_offset)};
  if (parser.context) message = std::string(parser.context) + ": " + message;
  return {message, FromLibyaml(parser.problem_mark)};
}

void Read(std::string_view text, yaml_parser_t& parser, Expander& expander) {
  for (;;) {
    Event owner;
    const yaml_event_t* event = &owner.raw;
    if (!yaml_parser_parse(&parser, &owner.raw)) throw ParserError(parser, text);
    const Mark mark = FromLibyaml(event->start_mark);
    switch (event->type) {
      case YAML_STREAM_END_EVENT:
        return;
      case YAML_DOCUMENT_START_EVENT:
        expander.BeginDocument(mark);
        break;
      case YAML_DOCUMENT_END_EVENT:
        expander.EndDocument();
        break;
      case YAML_SCALAR_EVENT: {
        const auto& s = event->data.scalar;
        expander.Node({Recorded::Kind::kScalar, std::string(reinterpret_cast<const char*>(s.value), s.length),
                       Text(s.tag), s.style == YAML_PLAIN_SCALAR_STYLE, mark},
                      Text(s.anchor));
        break;
      }
      case YAML_SEQUENCE_START_EVENT:
        expander.Node({Recorded::Kind::kSequence, {}, {}, false, mark}, Text(event->data.sequence_start.anchor));
        break;
      case YAML_MAPPING_START_EVENT:
        expander.Node({Recorded::Kind::kMapping, {}, {}, false, mark}, Text(event->data.mapping_start.anchor));
        break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        expander.End(mark);
        break;
      case YAML_ALIAS_EVENT:
        expander.Alias(Text(event->data.alias.anchor), mark);
        break;
      case YAML_STREAM_START_EVENT:
      case YAML_NO_EVENT:
        break;
    }
  }
}

}  // namespace

std::optional<YamlError> ReadYaml(std::string_view text, YamlHandler& handler, const Limits& limits) {
  Parser parser;
  if (!parser.initialized) return YamlError{"out of memory", {}};
  // libyaml asserts a non-null input; an empty string_view may have none.
  const char* input = text.empty() ? "" : text.data();
  yaml_parser_set_input_string(&parser.raw, reinterpret_cast<const unsigned char*>(input), text.size());
  Expander expander(handler, limits);
  try {
    Read(text, parser.raw, expander);
  } catch (YamlError& error) {
    return std::move(error);
  }
  return std::nullopt;
}

}  // namespace migmon::yaml

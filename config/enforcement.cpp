#include "config/enforcement.h"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "config/duration.h"
#include "config/quote.h"
#include "config/strict_yaml.h"

namespace migmon::config::detail {

namespace {

constexpr std::array<EnforcementMode, 2> kModes{EnforcementMode::kEnforce, EnforcementMode::kObserve};

// The character classes fnmatch knows inside brackets: "[[:digit:]]".
bool IsCharacterClass(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kClasses{"alnum", "alpha", "blank", "cntrl",
                                                             "digit", "graph", "lower", "print",
                                                             "punct", "space", "upper", "xdigit"};
  return std::find(kClasses.begin(), kClasses.end(), name) != kClasses.end();
}

// What is wrong with a bracket expression "[..." that starts at glob[open],
// or nothing; `end` is set past its closing ']'. glibc's fnmatch would take an
// unclosed '[' as a literal character, which is never what was meant.
std::optional<std::string> BracketProblem(std::string_view glob, size_t open, size_t& end) {
  const std::string unclosed = "has a '[' that is never closed (write [[] for a literal '[')";
  size_t i = open + 1;
  if (i < glob.size() && (glob[i] == '!' || glob[i] == '^')) ++i;
  if (i < glob.size() && glob[i] == ']') ++i;  // a leading ']' is a member, not the end
  while (i < glob.size()) {
    const char c = glob[i];
    if (c == ']') {
      end = i + 1;
      return std::nullopt;
    }
    if (c == '\\') {
      i += 2;
    } else if (c == '[' && i + 1 < glob.size() &&
               (glob[i + 1] == ':' || glob[i + 1] == '.' || glob[i + 1] == '=')) {
      // "[:class:]", "[.c.]" or "[=c=]", closed by the same delimiter and ']'.
      const char delimiter = glob[i + 1];
      const size_t close = glob.find(std::string{delimiter, ']'}, i + 2);
      if (close == std::string_view::npos) return unclosed;
      const std::string_view inside = glob.substr(i + 2, close - (i + 2));
      if (delimiter == ':' && !IsCharacterClass(inside)) {
        return "has an unknown character class " + Quoted(glob.substr(i, close + 2 - i));
      }
      if (delimiter != ':' && inside.size() != 1) {
        return "has " + Quoted(glob.substr(i, close + 2 - i)) + "; only a single character may sit between " +
               std::string{'[', delimiter} + " and " + std::string{delimiter, ']'};
      }
      i = close + 2;
    } else {
      ++i;
    }
  }
  return unclosed;
}

// What is wrong with one side of "namespace/name" as an fnmatch pattern, or nothing.
std::optional<std::string> GlobProblem(std::string_view glob) {
  for (size_t i = 0; i < glob.size();) {
    if (glob[i] == '\\') {
      if (i + 1 == glob.size()) return "has a '\\' with no character after it to escape";
      i += 2;
    } else if (glob[i] == '[') {
      size_t end = 0;
      if (auto problem = BracketProblem(glob, i, end)) return problem;
      i = end;
    } else {
      ++i;
    }
  }
  return std::nullopt;
}

std::string ReadExcludeGlob(const YAML::Node& value, const std::string& path) {
  std::string glob = ReadString(value, path);
  const size_t slash = glob.find('/');
  if (slash == std::string::npos || glob.find('/', slash + 1) != std::string::npos) {
    throw ConfigError(
        path, Quoted(glob) + " is not \"namespace/name\": it needs exactly one '/' (e.g. kube-system/*)");
  }
  const std::string_view name_space = std::string_view(glob).substr(0, slash);
  const std::string_view name = std::string_view(glob).substr(slash + 1);
  if (name_space.empty() || name.empty()) {
    throw ConfigError(path, Quoted(glob) + " has an empty " + (name_space.empty() ? "namespace" : "name") +
                                "; write * to match any");
  }
  for (const std::string_view side : {name_space, name}) {
    if (auto problem = GlobProblem(side)) {
      throw ConfigError(path, Quoted(glob) + " is not a valid glob: it " + *problem);
    }
  }
  return glob;
}

std::vector<std::string> ReadExclude(const YAML::Node& list, const std::string& path) {
  const std::vector<YAML::Node> items = ListItems(list, path);
  std::vector<std::string> globs;
  globs.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) globs.push_back(ReadExcludeGlob(items[i], IndexPath(path, i)));
  return globs;
}

std::vector<std::chrono::milliseconds> ReadDowntimeSteps(const YAML::Node& list, const std::string& path) {
  const std::vector<YAML::Node> items = ListItems(list, path);
  std::vector<std::chrono::milliseconds> steps;
  steps.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string step_path = IndexPath(path, i);
    const std::chrono::milliseconds step =
        ReadDuration(items[i], step_path, kMinDowntimeStep, kMaxDowntimeStep);
    if (!steps.empty() && step <= steps.back()) {
      throw ConfigError(step_path, Describe(items[i]) + " is not longer than the step before it (" +
                                       FormatDuration(steps.back()) + "); steps must strictly increase");
    }
    steps.push_back(step);
  }
  return steps;
}

}  // namespace

std::string_view EnforcementModeName(EnforcementMode mode) {
  switch (mode) {
    case EnforcementMode::kEnforce:
      return "enforce";
    case EnforcementMode::kObserve:
      return "observe";
  }
  return "enforce";
}

EnforcementConfig ReadEnforcement(const YAML::Node& map, const std::string& path) {
  EnforcementConfig enforcement;
  using Node = YAML::Node;
  using Path = std::string;
  const std::array<Field, 1> escalation_fields{{
      {"maxDowntimeSteps",
       [&](const Node& v, const Path& p) { enforcement.max_downtime_steps = ReadDowntimeSteps(v, p); }},
  }};
  const std::array<Field, 3> fields{{
      {"mode",
       [&](const Node& v, const Path& p) {
         enforcement.mode = ReadEnum(v, p, kModes, EnforcementModeName, "an enforcement mode");
       }},
      {"exclude", [&](const Node& v, const Path& p) { enforcement.exclude = ReadExclude(v, p); }},
      {"escalation", [&](const Node& v, const Path& p) { ReadFields(v, p, escalation_fields); }},
  }};
  ReadFields(map, path, fields);
  return enforcement;
}

}  // namespace migmon::config::detail

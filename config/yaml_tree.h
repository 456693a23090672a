// Internal to config/: YAML text -> yaml-cpp nodes, read by util/yaml_reader.h.
//
// The config readers (strict_yaml.h) work on yaml-cpp nodes, but yaml-cpp's
// own parser is not fit for untrusted text (it hangs on some inputs and
// follows recursive aliases). The limited libyaml reader parses instead, and
// this builds the same nodes yaml-cpp would: plain scalars tagged "?",
// quoted ones "!", and a plain "", "~" or null a null node.
//
// Thread-safety: no shared state.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

namespace migmon::config::detail {

// Every document of `text`. Throws ConfigError("", "<source>: YAML syntax
// error at line L, column C: why") for bad syntax and for text over the
// reader's limits.
std::vector<YAML::Node> ReadYamlDocuments(std::string_view text, const std::string& source);

}  // namespace migmon::config::detail

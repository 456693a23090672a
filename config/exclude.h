// Matching a migration against enforcement.exclude (config/config.h).
//
// A glob is "namespace/name" in fnmatch(3) syntax: '*' any run of characters,
// '?' one character, "[..]" one character of a set ("[!..]" or "[^..]" none
// of it), '\' escapes the next character. ParseConfig accepts only globs with
// exactly one '/', a non-empty glob on both sides and balanced brackets.
//
// Thread-safety: pure function, safe to call concurrently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace migmon::config {

// True when "namespace/name" matches one of the globs (fnmatch, FNM_PATHNAME so '*' never crosses the '/').
// False for an empty list. An empty namespace is matched as "/name", so only a
// glob whose namespace side matches the empty string (e.g. "*/db") can match it.
bool MatchesExclude(const std::vector<std::string>& globs, std::string_view name_space,
                    std::string_view name);

}  // namespace migmon::config

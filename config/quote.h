// Internal to config/: how every message quotes a user's value.
#pragma once

#include <string>
#include <string_view>

namespace migmon::config::detail {

inline std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

}  // namespace migmon::config::detail

// Internal to config/: the "listen" value, "HOST:PORT" or "[IPV6]:PORT".
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace migmon::config::detail {

struct ListenAddress {
  std::string host;   // never empty; IPv6 without brackets
  uint16_t port = 0;  // 1..65535
};

// Throws std::invalid_argument whose message quotes `text`.
ListenAddress ParseListenAddress(std::string_view text);

// Inverse of ParseListenAddress: brackets a host that contains ':'.
std::string FormatListenAddress(std::string_view host, uint16_t port);

}  // namespace migmon::config::detail

#include "config/listen_address.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "config/quote.h"

namespace migmon::config::detail {

namespace {

[[noreturn]] void ThrowBadListen(std::string_view text, std::string_view why) {
  throw std::invalid_argument(Quoted(text) + " " + std::string(why));
}

uint16_t ParsePort(std::string_view text, std::string_view port) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  // from_chars for an unsigned type accepts neither sign, so this is digits only.
  if (port.empty() || end != port.data() + port.size() || error != std::errc() || value < 1 ||
      value > 65535) {
    ThrowBadListen(text, "has no valid port (must be HOST:PORT with PORT 1..65535)");
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

ListenAddress ParseListenAddress(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      ThrowBadListen(text, "is not [IPV6]:PORT (e.g. [::1]:9477)");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) ThrowBadListen(text, "is not HOST:PORT (e.g. 127.0.0.1:9477)");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      ThrowBadListen(text, "has an IPv6 host without brackets (write [::1]:9477)");
    }
  }
  if (host.empty()) ThrowBadListen(text, "has no host (use 0.0.0.0:PORT or [::]:PORT for all interfaces)");
  const bool has_space = std::any_of(host.begin(), host.end(), [](char c) { return c == ' ' || c == '\t'; });
  if (has_space) ThrowBadListen(text, "has a space in its host");
  return ListenAddress{std::string(host), ParsePort(text, port)};
}

std::string FormatListenAddress(std::string_view host, uint16_t port) {
  const bool is_ipv6 = host.find(':') != std::string_view::npos;
  return (is_ipv6 ? "[" + std::string(host) + "]" : std::string(host)) + ":" + std::to_string(port);
}

}  // namespace migmon::config::detail

#include "config/listen.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace migmon::config {

namespace {

bool IsLocalhostName(std::string_view host) {
  constexpr std::string_view kLocalhost = "localhost";
  return std::equal(host.begin(), host.end(), kLocalhost.begin(), kLocalhost.end(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

bool IsIpv4Loopback(const in_addr& address) { return ntohl(address.s_addr) >> 24 == 127; }

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  if (IsLocalhostName(host)) return true;
  // inet_pton reads a C string: a NUL inside would hide what follows it.
  if (host.find('\0') != std::string_view::npos) return false;
  const std::string text(host);
  in_addr ipv4{};
  if (inet_pton(AF_INET, text.c_str(), &ipv4) == 1) return IsIpv4Loopback(ipv4);
  in6_addr ipv6{};
  if (inet_pton(AF_INET6, text.c_str(), &ipv6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&ipv6)) return true;
    if (IN6_IS_ADDR_V4MAPPED(&ipv6)) return ipv6.s6_addr[12] == 127;
  }
  return false;
}

}  // namespace migmon::config

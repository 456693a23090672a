// The --server URL and the percent-encoding of what goes into request
// paths. Pure functions: thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace migmon::client {

struct ServerUrl {
  std::string scheme_host_port;  // what httplib::Client takes: "https://host:8443"
  std::string base_path;         // "" or "/prefix" (no trailing slash), put before every API path
  bool tls = false;
  std::string host;  // without an IPv6 literal's brackets
  int port = 0;      // 80 / 443 when the URL has none
};
// Accepts http:// and https:// URLs with a host, an optional port and an
// optional path prefix (a server behind a reverse proxy); no query, no
// fragment, no user info. Throws std::invalid_argument saying what is wrong.
ServerUrl ParseServerUrl(std::string_view url);

// RFC 3986 percent-encoding of everything but unreserved characters, for a
// query value or a path segment.
std::string PercentEncode(std::string_view text);

}  // namespace migmon::client

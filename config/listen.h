// Where the monitor listens, for decisions the binary makes about it (e.g.
// refusing to serve the API unauthenticated beyond this host).
//
// Thread-safety: pure functions, safe to call concurrently.
#pragma once

#include <string_view>

namespace migmon::config {

// True when `host` (as in Config::listen_host: an IPv6 address without
// brackets) reaches only this machine: an IPv4 address in 127.0.0.0/8
// (dotted quad), the IPv6 loopback ::1 in any spelling (also IPv4-mapped,
// ::ffff:127.x.y.z), or the name "localhost" (any case). False for anything
// else, including wildcard addresses (0.0.0.0, ::) and other names.
bool IsLoopbackHost(std::string_view host);

}  // namespace migmon::config

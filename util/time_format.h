// Wall-clock times as Kubernetes writes them (RFC 3339, UTC, whole seconds).
// The time itself comes from a Clock (util/clock.h), never read here.
#pragma once

#include <ctime>
#include <string>

namespace migmon {

inline std::string Rfc3339(double unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

}  // namespace migmon

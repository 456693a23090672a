#include "config/http_limits.h"

#include <array>
#include <chrono>

#include "config/strict_yaml.h"

namespace migmon::config::detail {
namespace {

using std::chrono::milliseconds;
constexpr milliseconds kMinTimeout{100};
constexpr milliseconds kMaxTimeout = std::chrono::hours(1);
constexpr uint64_t kMinHeaderBytes = 1024;
constexpr uint64_t kMaxHeaderBytes = 1 << 20;
constexpr int64_t kMaxConnections = 1000000;
constexpr int64_t kMaxMonitoringRequests = 10000;

}  // namespace

HttpConfig ReadHttp(const YAML::Node& map, const std::string& path) {
  HttpConfig http;
  using Node = YAML::Node;
  using Path = std::string;
  auto timeout = [](milliseconds& out) {
    return [&out](const Node& v, const Path& p) { out = ReadDuration(v, p, kMinTimeout, kMaxTimeout); };
  };
  auto count = [](uint32_t& out, int64_t max) {
    return [&out, max](const Node& v, const Path& p) { out = static_cast<uint32_t>(ReadInteger(v, p, 1, max)); };
  };
  const std::array<Field, 8> fields{{
      {"headerTimeout", timeout(http.header_timeout)},
      {"bodyTimeout", timeout(http.body_timeout)},
      {"idleTimeout", timeout(http.idle_timeout)},
      {"writeTimeout", timeout(http.write_timeout)},
      {"maxHeaderBytes",
       [&](const Node& v, const Path& p) {
         http.max_header_bytes = ReadQuantity(v, p, kMinHeaderBytes);
         if (http.max_header_bytes > kMaxHeaderBytes) {
           throw ConfigError(p, Describe(v) + " is out of range (must be <= 1Mi)");
         }
       }},
      {"maxConnections", count(http.max_connections, kMaxConnections)},
      {"maxConnectionsPerClient", count(http.max_connections_per_client, kMaxConnections)},
      {"maxMonitoringRequests", count(http.max_monitoring_requests, kMaxMonitoringRequests)},
  }};
  ReadFields(map, path, fields);
  if (http.max_connections_per_client > http.max_connections) {
    throw ConfigError(ChildPath(path, "maxConnectionsPerClient"),
                      std::to_string(http.max_connections_per_client) + " is above maxConnections (" +
                          std::to_string(http.max_connections) + ")");
  }
  return http;
}

}  // namespace migmon::config::detail

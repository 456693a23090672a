// The "http:" section: defaults, values, errors naming the key, rendering.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config/load.h"
#include "config/render.h"

namespace migmon::config {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

const std::string kNodes = "nodes: [{name: node-1, uri: 'qemu:///system'}]\n";

HttpConfig Parse(const std::string& http) { return ParseConfig(kNodes + http).config.http; }

std::string ErrorOf(const std::string& http) {
  try {
    ParseConfig(kNodes + http);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ConfigHttpTest, DefaultsWhenAbsent) {
  const HttpConfig http = Parse("");
  EXPECT_EQ(http.header_timeout, 10s);
  EXPECT_EQ(http.body_timeout, 30s);
  EXPECT_EQ(http.idle_timeout, 120s);
  EXPECT_EQ(http.write_timeout, 30s);
  EXPECT_EQ(http.max_header_bytes, 16384u);
  EXPECT_EQ(http.max_connections, 1024u);
  EXPECT_EQ(http.max_connections_per_client, 64u);
  EXPECT_EQ(http.max_monitoring_requests, 40u);
}

TEST(ConfigHttpTest, ReadsEveryKey) {
  const HttpConfig http = Parse(
      "http: {headerTimeout: 2s, bodyTimeout: 1m, idleTimeout: 5m, writeTimeout: 500ms, maxHeaderBytes: 64Ki, "
      "maxConnections: 10, maxConnectionsPerClient: 10, maxMonitoringRequests: 3}\n");
  EXPECT_EQ(http.header_timeout, 2s);
  EXPECT_EQ(http.body_timeout, 60s);
  EXPECT_EQ(http.idle_timeout, 300s);
  EXPECT_EQ(http.write_timeout, 500ms);
  EXPECT_EQ(http.max_header_bytes, 65536u);
  EXPECT_EQ(http.max_connections, 10u);
  EXPECT_EQ(http.max_connections_per_client, 10u);
  EXPECT_EQ(http.max_monitoring_requests, 3u);
}

TEST(ConfigHttpTest, ErrorsNameTheKey) {
  EXPECT_THAT(ErrorOf("http: {headerTimeout: 10}\n"), HasSubstr("http.headerTimeout"));
  EXPECT_THAT(ErrorOf("http: {headerTimeout: 10ms}\n"), HasSubstr("http.headerTimeout"));
  EXPECT_THAT(ErrorOf("http: {idleTimeout: 2h}\n"), HasSubstr("http.idleTimeout"));
  EXPECT_THAT(ErrorOf("http: {maxHeaderBytes: 100}\n"), HasSubstr("http.maxHeaderBytes"));
  EXPECT_THAT(ErrorOf("http: {maxHeaderBytes: 2Mi}\n"), HasSubstr("http.maxHeaderBytes"));
  EXPECT_THAT(ErrorOf("http: {maxConnections: 0}\n"), HasSubstr("http.maxConnections"));
  EXPECT_THAT(ErrorOf("http: {maxConnections: '10'}\n"), HasSubstr("http.maxConnections"));
  EXPECT_THAT(ErrorOf("http: {maxMonitoringRequests: 0}\n"), HasSubstr("http.maxMonitoringRequests"));
  EXPECT_THAT(ErrorOf("http: {maxConnections: 10, maxConnectionsPerClient: 11}\n"),
              HasSubstr("http.maxConnectionsPerClient: 11 is above maxConnections (10)"));
  EXPECT_THAT(ErrorOf("http: {threads: 4}\n"), HasSubstr("unknown key \"threads\""));
}

TEST(ConfigHttpTest, RendersAndReadsBack) {
  const Config original =
      ParseConfig(kNodes + "http: {headerTimeout: 3s, maxHeaderBytes: 32Ki, maxConnectionsPerClient: 100}\n").config;
  const std::string rendered = RenderEffective(original);
  EXPECT_THAT(rendered, HasSubstr("http:\n  headerTimeout: 3s\n  bodyTimeout: 30s\n  idleTimeout: 2m\n"
                                  "  writeTimeout: 30s\n  maxHeaderBytes: 32Ki\n  maxConnections: 1024\n"
                                  "  maxConnectionsPerClient: 100\n  maxMonitoringRequests: 40\n"));
  const HttpConfig back = ParseConfig(rendered).config.http;
  EXPECT_EQ(back.header_timeout, 3s);
  EXPECT_EQ(back.max_header_bytes, 32768u);
  EXPECT_EQ(back.max_connections_per_client, 100u);
}

}  // namespace
}  // namespace migmon::config

#include "client/format.h"

#include <gtest/gtest.h>

#include "client/server_url.h"
#include "client/yaml.h"

namespace migmon::client {
namespace {

TEST(ClientFormat, Bytes) {
  EXPECT_EQ("0 B", FormatBytes(0));
  EXPECT_EQ("0 B", FormatBytes(-5));
  EXPECT_EQ("1023 B", FormatBytes(1023));
  EXPECT_EQ("1.0 KiB", FormatBytes(1024));
  EXPECT_EQ("1.5 KiB", FormatBytes(1536));
  EXPECT_EQ("118.3 MiB", FormatBytes(118.3 * 1024 * 1024));
  EXPECT_EQ("1.0 GiB", FormatBytes(1024.0 * 1024 * 1024 - 1));  // never "1024.0 MiB"
  EXPECT_EQ("2.0 GiB", FormatBytes(2.0 * 1024 * 1024 * 1024));
  EXPECT_EQ("3.0 TiB", FormatBytes(3.0 * 1024 * 1024 * 1024 * 1024));
  EXPECT_EQ("50.0 MiB/s", FormatRate(50.0 * 1024 * 1024));
}

TEST(ClientFormat, Duration) {
  EXPECT_EQ("0s", FormatDuration(0));
  EXPECT_EQ("0s", FormatDuration(-3));
  EXPECT_EQ("45s", FormatDuration(45.9));
  EXPECT_EQ("1m00s", FormatDuration(60));
  EXPECT_EQ("3m05s", FormatDuration(185));
  EXPECT_EQ("1h02m", FormatDuration(3725));
  EXPECT_EQ("2d03h", FormatDuration(2 * 86400 + 3 * 3600 + 59));
}

TEST(ClientFormat, Rfc3339) {
  using namespace std::chrono;
  const auto t = ParseRfc3339("2024-05-01T12:00:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(1714564800, duration_cast<seconds>(t->time_since_epoch()).count());
  EXPECT_EQ(*t, ParseRfc3339("2024-05-01T14:00:00.123+02:00"));
  EXPECT_EQ(*t, ParseRfc3339("2024-05-01T11:30:00-00:30"));
  EXPECT_FALSE(ParseRfc3339(""));
  EXPECT_FALSE(ParseRfc3339("2024-05-01"));
  EXPECT_FALSE(ParseRfc3339("2024-02-30T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2024-05-01T12:00:00"));
  EXPECT_FALSE(ParseRfc3339("2024-05-01T12:00:00Zjunk"));
}

TEST(ClientFormat, TableAlignsColumns) {
  EXPECT_EQ(
      "NAME   PHASE     AGE\n"
      "a      Running   5s\n"
      "long   Failed\n",
      Table({"NAME", "PHASE", "AGE"}, {{"a", "Running", "5s"}, {"long", "Failed"}}));
  EXPECT_EQ("A\n", Table({"A"}, {}));
}

TEST(ClientFormat, YamlLayout) {
  const auto doc = nlohmann::json::parse(R"({
    "apiVersion": "kubevirt.io/v1",
    "metadata": {"name": "vm1-migration-x", "creationTimestamp": "2024-05-01T12:00:00Z", "labels": {}},
    "spec": {"vmiName": "vm1", "addedNodeSelector": {"kubernetes.io/hostname": "node-b"}},
    "status": {"phase": "Pending", "conditions": [{"type": "Ready", "status": "False", "message": "limit: 2 running"}],
               "tags": ["a", 1, true, null, []], "ratio": 0.5}
  })");
  EXPECT_EQ(
      "apiVersion: kubevirt.io/v1\n"
      "metadata:\n"
      "  creationTimestamp: \"2024-05-01T12:00:00Z\"\n"
      "  labels: {}\n"
      "  name: vm1-migration-x\n"
      "spec:\n"
      "  addedNodeSelector:\n"
      "    kubernetes.io/hostname: node-b\n"
      "  vmiName: vm1\n"
      "status:\n"
      "  conditions:\n"
      "    - message: \"limit: 2 running\"\n"
      "      status: \"False\"\n"
      "      type: Ready\n"
      "  phase: Pending\n"
      "  ratio: 0.5\n"
      "  tags:\n"
      "    - a\n"
      "    - 1\n"
      "    - true\n"
      "    - null\n"
      "    - []\n",
      ToYaml(doc));
}

TEST(ClientFormat, YamlQuotesWhatWouldReadBackAsSomethingElse) {
  for (const char* s : {"", "yes", "No", "off", "null", "y", "123", "1.5", "-x", "a: b", "a #b", " lead", "trail ",
                        "x:", "multi\nline", "@at", "*star", "caf\u00e9", "quote\"d"}) {
    const std::string yaml = ToYaml(nlohmann::json{{"k", s}});
    EXPECT_EQ("k: " + nlohmann::json(s).dump() + "\n", yaml) << s;
  }
  for (const char* s : {"plain", "with space", "a:b", "kubevirt.io/v1", "Running"}) {
    EXPECT_EQ(std::string("k: ") + s + "\n", ToYaml(nlohmann::json{{"k", s}})) << s;
  }
  EXPECT_EQ("{}\n", ToYaml(nlohmann::json::object()));
  EXPECT_EQ("\"yes\": 1\n", ToYaml(nlohmann::json{{"yes", 1}}));
}

TEST(ClientFormat, ServerUrls) {
  const ServerUrl plain = ParseServerUrl("http://127.0.0.1:9477");
  EXPECT_EQ("http://127.0.0.1:9477", plain.scheme_host_port);
  EXPECT_EQ("", plain.base_path);
  EXPECT_FALSE(plain.tls);
  const ServerUrl tls = ParseServerUrl("https://mon.example:8443/monitor/");
  EXPECT_EQ("https://mon.example:8443", tls.scheme_host_port);
  EXPECT_EQ("/monitor", tls.base_path);
  EXPECT_TRUE(tls.tls);
  EXPECT_EQ("mon.example", tls.host);
  EXPECT_EQ(8443, tls.port);
  EXPECT_EQ(443, ParseServerUrl("https://mon").port);
  EXPECT_EQ(80, ParseServerUrl("http://mon").port);
  const ServerUrl v6 = ParseServerUrl("http://[::1]:9477");
  EXPECT_EQ("http://[::1]:9477", v6.scheme_host_port);
  EXPECT_EQ("::1", v6.host);
  for (const char* bad : {"127.0.0.1:9477", "ftp://x", "http://", "http://:80", "http://h:0", "http://h:99999",
                          "http://h:x", "http://u:p@h", "http://h/?q=1", "http://[]:80"}) {
    EXPECT_THROW(ParseServerUrl(bad), std::invalid_argument) << bad;
  }
  EXPECT_EQ("metadata.name%3Dvm1-migration-x", PercentEncode("metadata.name=vm1-migration-x"));
}

}  // namespace
}  // namespace migmon::client

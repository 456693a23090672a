// The listening policy serve and check-config apply, and /readyz before and
// after the stored state is loaded.
#include "daemon/exposure.h"

#include <gtest/gtest.h>

#include "daemon/readiness.h"

namespace migmon::app {
namespace {

config::Config Api(const std::string& host, bool token, bool tls) {
  config::Config c;
  c.listen_host = host;
  c.api.enabled = true;
  if (token) {
    c.api.token_file = "/etc/migration-monitor/token";
    c.api.token = "secret";
  }
  if (tls) {
    c.api.tls_cert_file = "/etc/migration-monitor/tls.crt";
    c.api.tls_key_file = "/etc/migration-monitor/tls.key";
  }
  return c;
}

TEST(Exposure, LoopbackNeedsNeitherTokenNorTls) {
  for (const char* host : {"127.0.0.1", "::1", "localhost"}) {
    const Exposure e = DecideExposure(Api(host, false, false), false, std::nullopt);
    EXPECT_FALSE(e.refusal) << host;
    EXPECT_TRUE(e.warnings.empty()) << host;
  }
}

TEST(Exposure, ANonLoopbackAddressNeedsBothTokenAndTls) {
  EXPECT_FALSE(DecideExposure(Api("0.0.0.0", true, true), false, 0600).refusal);
  const auto neither = DecideExposure(Api("0.0.0.0", false, false), false, std::nullopt);
  ASSERT_TRUE(neither.refusal);
  EXPECT_NE(neither.refusal->find("without api.auth.tokenFile or api.tls"), std::string::npos) << *neither.refusal;
  const auto clear = DecideExposure(Api("192.0.2.1", true, false), false, 0600);
  ASSERT_TRUE(clear.refusal);
  EXPECT_NE(clear.refusal->find("the token would travel in clear text"), std::string::npos) << *clear.refusal;
  const auto anyone = DecideExposure(Api("::", false, true), false, std::nullopt);
  ASSERT_TRUE(anyone.refusal);
  EXPECT_NE(anyone.refusal->find("with api.tls but without api.auth.tokenFile"), std::string::npos)
      << *anyone.refusal;
  EXPECT_NE(anyone.refusal->find("--insecure"), std::string::npos);
}

TEST(Exposure, InsecureTurnsTheRefusalIntoAWarning) {
  const auto e = DecideExposure(Api("0.0.0.0", true, false), true, 0600);
  EXPECT_FALSE(e.refusal);
  ASSERT_EQ(e.warnings.size(), 1u);
  EXPECT_EQ(e.warnings[0].rfind("serving the migration API on 0.0.0.0", 0), 0u) << e.warnings[0];
  EXPECT_NE(e.warnings[0].find("(--insecure)"), std::string::npos);
}

TEST(Exposure, ATokenFileOthersMayReadIsAWarning) {
  const auto e = DecideExposure(Api("127.0.0.1", true, false), false, 0644);
  EXPECT_FALSE(e.refusal);
  ASSERT_EQ(e.warnings.size(), 1u);
  EXPECT_NE(e.warnings[0].find("readable by other users (mode 0644)"), std::string::npos) << e.warnings[0];
  EXPECT_EQ(DecideExposure(Api("127.0.0.1", true, false), false, 0604).warnings.size(), 1u);
  EXPECT_TRUE(DecideExposure(Api("127.0.0.1", true, false), false, 0640).warnings.empty());  // the service's group
  EXPECT_TRUE(DecideExposure(Api("127.0.0.1", true, false), false, 0600).warnings.empty());
  EXPECT_TRUE(DecideExposure(Api("127.0.0.1", true, false), false, 0400).warnings.empty());
}

TEST(Exposure, WithoutTheApiNothingIsDecided) {
  config::Config c = Api("0.0.0.0", false, false);
  c.api.enabled = false;
  EXPECT_FALSE(DecideExposure(c, false, std::nullopt).refusal);
}

TEST(Readiness, NotReadyBeforeTheStoredStateIsLoadedEvenWithNodesUp) {
  NodeView up;
  up.name = "node-1";
  up.up = true;
  up.detail = "connected";
  const auto loading = DecideReadiness(false, {up});
  EXPECT_FALSE(loading.ready);
  EXPECT_EQ(loading.body, "not ready: loading the stored state\nnode-1 up connected\n");
  const auto ready = DecideReadiness(true, {up});
  EXPECT_TRUE(ready.ready);
  EXPECT_EQ(ready.body, "ready\nnode-1 up connected\n");
  NodeView down = up;
  down.up = false;
  down.detail = "connection lost";
  EXPECT_FALSE(DecideReadiness(true, {down}).ready);
  EXPECT_EQ(DecideReadiness(true, {down}).body, "not ready: no node connected\nnode-1 down connection lost\n");
}

}  // namespace
}  // namespace migmon::app

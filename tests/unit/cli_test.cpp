#include "daemon/cli.h"

#include <gtest/gtest.h>

namespace migmon::app {
namespace {

using V = Command::Verb;

TEST(Cli, ServeWithAllFlags) {
  const Command c = ParseCommandLine({"serve", "--config", "a.yaml", "--kubevirt=kv.yaml",
                                      "--listen", "0.0.0.0:9000", "--log-level", "debug"});
  EXPECT_EQ(V::kServe, c.verb);
  EXPECT_EQ("a.yaml", c.config_path);
  EXPECT_EQ("kv.yaml", c.kubevirt_path);
  EXPECT_EQ("0.0.0.0:9000", c.listen);
  EXPECT_EQ("debug", c.log_level);
}

TEST(Cli, CheckConfigNeedsConfig) {
  EXPECT_EQ(V::kCheckConfig, ParseCommandLine({"check-config", "--config", "x"}).verb);
  EXPECT_THROW(ParseCommandLine({"check-config"}), UsageError);
}

TEST(Cli, InsecureOnServeAndCheckConfig) {
  // check-config takes it too, so it decides about listening exactly as serve would.
  EXPECT_TRUE(ParseCommandLine({"serve", "--config", "x", "--insecure"}).insecure);
  EXPECT_TRUE(ParseCommandLine({"check-config", "--config", "x", "--insecure"}).insecure);
  EXPECT_FALSE(ParseCommandLine({"check-config", "--config", "x"}).insecure);
  EXPECT_THROW(ParseCommandLine({"check-config", "--config", "x", "--insecure=yes"}), UsageError);
}

TEST(Cli, HelpAndVersion) {
  EXPECT_EQ(V::kHelp, ParseCommandLine({"--help"}).verb);
  EXPECT_EQ(V::kHelp, ParseCommandLine({"serve", "--help"}).verb);
  EXPECT_EQ(V::kVersion, ParseCommandLine({"--version"}).verb);
}

TEST(Cli, ErrorsNameTheBadArgument) {
  try {
    ParseCommandLine({"serve", "--config", "x", "--bogus"});
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string::npos, std::string(e.what()).find("--bogus"));
  }
  try {
    ParseCommandLine({"frobnicate"});
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string::npos, std::string(e.what()).find("frobnicate"));
  }
  EXPECT_THROW(ParseCommandLine({"serve", "--config"}), UsageError);
  EXPECT_THROW(ParseCommandLine({"serve", "--config", "x", "--log-level", "loud"}), UsageError);
  EXPECT_THROW(ParseCommandLine({"check-config", "--config", "x", "--listen", "1:2"}), UsageError);
  EXPECT_THROW(ParseCommandLine({}), UsageError);
}

}  // namespace
}  // namespace migmon::app

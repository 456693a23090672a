#include "client/args.h"

#include <gtest/gtest.h>

#include "client/client.h"

namespace migmon::client {
namespace {

std::string UsageMessage(const std::vector<std::string>& args) {
  try {
    ParseClientArgs(args);
  } catch (const ClientUsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ClientArgs, MigrateWithEveryFlag) {
  const ClientArgs a = ParseClientArgs({"migrate", "vm1", "-n", "prod", "--to=node-b", "--priority",
                                        "user-triggered", "--wait", "--server", "https://mon:8443",
                                        "--token-file", "/t", "--ca-file=/ca.pem", "--insecure-skip-tls-verify"});
  EXPECT_EQ(Verb::kMigrate, a.verb);
  EXPECT_EQ("vm1", a.target);
  EXPECT_EQ("prod", a.ns);
  EXPECT_EQ("node-b", a.to_node);
  EXPECT_EQ("user-triggered", a.priority);
  EXPECT_TRUE(a.wait);
  EXPECT_EQ("https://mon:8443", a.server);
  EXPECT_EQ("/t", a.token_file);
  EXPECT_EQ("/ca.pem", a.ca_file);
  EXPECT_TRUE(a.insecure_skip_tls_verify);
}

TEST(ClientArgs, Defaults) {
  const ClientArgs a = ParseClientArgs({"migrate", "vm1"});
  EXPECT_EQ("default", a.ns);
  EXPECT_FALSE(a.to_node);
  EXPECT_FALSE(a.priority);
  EXPECT_FALSE(a.wait);
  EXPECT_FALSE(a.server);
  EXPECT_FALSE(a.token_file);
}

TEST(ClientArgs, GetOutputFormats) {
  EXPECT_EQ(OutputFormat::kSummary, ParseClientArgs({"get", "m"}).output);
  EXPECT_EQ(OutputFormat::kJson, ParseClientArgs({"get", "m", "-o", "json"}).output);
  EXPECT_EQ(OutputFormat::kYaml, ParseClientArgs({"get", "m", "-oyaml"}).output);
  EXPECT_EQ(OutputFormat::kYaml, ParseClientArgs({"get", "--output=yaml", "m"}).output);
  EXPECT_EQ("prod", ParseClientArgs({"get", "m", "-nprod"}).ns);
  EXPECT_NE(std::string::npos, UsageMessage({"get", "m", "-o", "wide"}).find("wide"));
}

TEST(ClientArgs, ListNamespaces) {
  EXPECT_FALSE(ParseClientArgs({"list"}).all_namespaces);
  EXPECT_TRUE(ParseClientArgs({"list", "-A"}).all_namespaces);
  EXPECT_TRUE(ParseClientArgs({"list", "--all-namespaces"}).all_namespaces);
  EXPECT_EQ("kube", ParseClientArgs({"list", "--namespace", "kube"}).ns);
  EXPECT_NE(std::string::npos, UsageMessage({"list", "-A", "-n", "x"}).find("-A"));
  EXPECT_NE(std::string::npos, UsageMessage({"list", "extra"}).find("extra"));
}

TEST(ClientArgs, CancelWatchDrain) {
  EXPECT_EQ("m", ParseClientArgs({"cancel", "m"}).target);
  EXPECT_EQ(Verb::kCancel, ParseClientArgs({"cancel", "m", "-n", "x"}).verb);
  EXPECT_EQ("", ParseClientArgs({"watch"}).target);
  EXPECT_EQ("m", ParseClientArgs({"watch", "m"}).target);
  EXPECT_TRUE(ParseClientArgs({"watch", "-A"}).all_namespaces);
  const ClientArgs d = ParseClientArgs({"drain", "node-1", "--wait"});
  EXPECT_EQ(Verb::kDrain, d.verb);
  EXPECT_EQ("node-1", d.target);
  EXPECT_TRUE(d.wait);
}

TEST(ClientArgs, DoubleDashEndsFlags) {
  EXPECT_EQ("-odd", ParseClientArgs({"get", "--", "-odd"}).target);
}

TEST(ClientArgs, HelpAnywhere) {
  EXPECT_EQ(Verb::kHelp, ParseClientArgs({"migrate", "--help"}).verb);
  EXPECT_EQ(Verb::kHelp, ParseClientArgs({"drain", "-h"}).verb);
}

TEST(ClientArgs, ErrorsNameTheBadArgument) {
  EXPECT_NE(std::string::npos, UsageMessage({"migrate"}).find("VMI"));
  EXPECT_NE(std::string::npos, UsageMessage({"get"}).find("NAME"));
  EXPECT_NE(std::string::npos, UsageMessage({"cancel"}).find("NAME"));
  EXPECT_NE(std::string::npos, UsageMessage({"drain"}).find("NODE"));
  EXPECT_NE(std::string::npos, UsageMessage({"migrate", "vm1", "vm2"}).find("vm2"));
  EXPECT_NE(std::string::npos, UsageMessage({"migrate", "vm1", "--priority", "urgent"}).find("urgent"));
  EXPECT_NE(std::string::npos, UsageMessage({"migrate", "vm1", "--to"}).find("--to"));
  EXPECT_NE(std::string::npos, UsageMessage({"migrate", "vm1", "--to="}).find("--to"));
  EXPECT_NE(std::string::npos, UsageMessage({"migrate", "vm1", "--wait=yes"}).find("--wait"));
  EXPECT_NE(std::string::npos, UsageMessage({"migrate", "vm1", "-A"}).find("-A"));
  EXPECT_NE(std::string::npos, UsageMessage({"migrate", "vm1", "--bogus"}).find("--bogus"));
  EXPECT_NE(std::string::npos, UsageMessage({"get", "m", "--wait"}).find("--wait"));
  EXPECT_NE(std::string::npos, UsageMessage({"list", "-o", "json"}).find("-o"));
  EXPECT_NE(std::string::npos, UsageMessage({"drain", "n", "-n", "x"}).find("-n"));
  EXPECT_NE(std::string::npos, UsageMessage({"drain", "n", "--to", "x"}).find("--to"));
  EXPECT_NE(std::string::npos, UsageMessage({"watch", "m", "-A"}).find("-A"));
  EXPECT_NE(std::string::npos, UsageMessage({"frobnicate"}).find("frobnicate"));
  EXPECT_THROW(ParseClientArgs({}), ClientUsageError);
}

TEST(ClientArgs, VerbsAreRecognised) {
  for (const char* verb : {"migrate", "get", "list", "cancel", "watch", "drain"}) EXPECT_TRUE(IsClientVerb(verb)) << verb;
  for (const char* word : {"serve", "check-config", "--help", "", "Migrate"}) EXPECT_FALSE(IsClientVerb(word)) << word;
}

TEST(ClientArgs, RunClientExitsTwoOnUsageErrors) {
  std::ostringstream out, err;
  EXPECT_EQ(2, RunClient({"migrate"}, {}, out, err));
  EXPECT_NE(std::string::npos, err.str().find("VMI"));
  err.str("");
  EXPECT_EQ(2, RunClient({"list", "--server", "ftp://x"}, {}, out, err));
  EXPECT_NE(std::string::npos, err.str().find("--server"));
  err.str("");
  ClientEnvironment env;
  env.server = "localhost:9477";
  EXPECT_EQ(2, RunClient({"list"}, env, out, err));
  EXPECT_NE(std::string::npos, err.str().find("MIGMON_SERVER"));
  err.str("");
  EXPECT_EQ(2, RunClient({"list", "--token-file", "/nonexistent/token"}, {}, out, err));
  EXPECT_NE(std::string::npos, err.str().find("--token-file"));
  err.str("");
  EXPECT_EQ(2, RunClient({"list", "--ca-file", "/nonexistent/ca.pem"}, {}, out, err));
  EXPECT_NE(std::string::npos, err.str().find("--ca-file"));
}

TEST(ClientArgs, HelpGoesToStdout) {
  std::ostringstream out, err;
  EXPECT_EQ(0, RunClient({"watch", "--help"}, {}, out, err));
  EXPECT_NE(std::string::npos, out.str().find("drain NODE [--wait]"));
  EXPECT_EQ("", err.str());
}

}  // namespace
}  // namespace migmon::client

// The client's commands against an in-process fake of the monitor's API.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "client/client.h"

namespace migmon::client {
namespace {

using nlohmann::json;

constexpr const char* kNsMigrations = R"(/apis/kubevirt.io/v1/namespaces/([^/]+)/virtualmachineinstancemigrations)";
constexpr const char* kNsMigration = R"(/apis/kubevirt.io/v1/namespaces/([^/]+)/virtualmachineinstancemigrations/([^/]+))";
constexpr const char* kAllMigrations = "/apis/kubevirt.io/v1/virtualmachineinstancemigrations";
constexpr const char* kAllVmis = "/apis/kubevirt.io/v1/virtualmachineinstances";

struct Seen {
  std::string method;
  std::string path;
  std::map<std::string, std::string> params;
  std::string authorization;
  std::string body;
};

// An httplib::Server on 127.0.0.1 (any free port) with the routes a test
// gives it, recording every request.
class FakeApi {
 public:
  explicit FakeApi(const std::function<void(httplib::Server&)>& routes) {
    // After routing (the body has been read), before the answer is sent:
    // the client cannot see an answer whose request is not recorded yet.
    server_.set_post_routing_handler([this](const httplib::Request& req, httplib::Response&) {
      Seen seen{req.method, req.path, {}, req.get_header_value("Authorization"), req.body};
      for (const auto& [k, v] : req.params) seen.params[k] = v;
      std::lock_guard lock(mutex_);
      requests_.push_back(std::move(seen));
    });
    routes(server_);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeApi() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<Seen> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::vector<Seen> requests(const std::string& method, bool watch) {
    std::vector<Seen> out;
    for (auto& r : requests()) {
      if (r.method == method && (r.params.count("watch") > 0) == watch) out.push_back(r);
    }
    return out;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<Seen> requests_;
};

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome RunCli(std::vector<std::string> args, const std::string& server, bool terminal = false,
            std::optional<std::string> token_file = std::nullopt) {
  ClientEnvironment env;
  env.server = server;
  env.terminal = terminal;
  env.width = 200;
  env.token_file = std::move(token_file);
  std::ostringstream out, err;
  const int code = RunClient(args, env, out, err);
  return {code, out.str(), err.str()};
}

json Migration(const std::string& name, const std::string& ns, const std::string& phase, int rv) {
  return {{"apiVersion", "kubevirt.io/v1"},
          {"kind", "VirtualMachineInstanceMigration"},
          {"metadata", {{"name", name}, {"namespace", ns}, {"resourceVersion", std::to_string(rv)},
                        {"creationTimestamp", "2024-05-01T12:00:00Z"}}},
          {"spec", {{"vmiName", name.substr(0, name.find('-'))}}},
          {"status", {{"phase", phase}}}};
}

json WithProgress(json o, double ratio) {
  o["status"]["migrationState"] = {
      {"sourceNode", "node-a"},
      {"targetNode", "node-b"},
      {"mode", "PreCopy"},
      {"progress",
       {{"dataTotalBytes", 2147483648.0},
        {"dataRemainingBytes", 2147483648.0 * (1 - ratio)},
        {"memoryTransferRateBytesPerSecond", 104857600},
        {"iteration", 2},
        {"progressRatio", ratio},
        {"estimatedRemainingSeconds", 12}}}};
  return o;
}

json Failed(json o, const std::string& reason) {
  o = WithProgress(std::move(o), 0.3);
  o["status"]["phase"] = "Failed";
  o["status"]["migrationState"]["failureReason"] = reason;
  return o;
}

json Event(const std::string& type, const json& object) { return {{"type", type}, {"object", object}}; }

json Status(int code, const std::string& reason, const std::string& message) {
  return {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", json::object()}, {"status", code < 300 ? "Success" : "Failure"},
          {"message", message}, {"reason", reason}, {"code", code}};
}

void Reply(httplib::Response& res, const json& body, int code = 200) {
  res.status = code;
  res.set_content(body.dump(), "application/json");
}

// A watch answer: these events, one per line, then the end of the stream.
void Stream(httplib::Response& res, std::vector<json> events) {
  res.set_chunked_content_provider("application/json", [events = std::move(events)](size_t, httplib::DataSink& sink) {
    for (const auto& e : events) {
      const std::string line = e.dump() + "\n";
      sink.write(line.data(), line.size());
    }
    sink.done();
    return true;
  });
}

json List(const std::vector<json>& items, int rv) {
  return {{"kind", "VirtualMachineInstanceMigrationList"}, {"metadata", {{"resourceVersion", std::to_string(rv)}}}, {"items", items}};
}

// POST answers with the object named from generateName ("<prefix>abcde"),
// Pending and waiting for room; watches from resourceVersion N answer
// `script[N]`.
void MigrationRoutes(httplib::Server& s, std::map<std::string, std::vector<json>> script) {
  s.Post(kNsMigrations, [](const httplib::Request& req, httplib::Response& res) {
    json o = json::parse(req.body);
    const std::string name = o["metadata"]["generateName"].get<std::string>() + "abcde";
    json created = Migration(name, req.matches[1], "Pending", 10);
    created["spec"] = o["spec"];
    created["status"]["conditions"] = {{{"type", "Ready"}, {"status", "False"}, {"reason", "ClusterLimitReached"},
                                        {"message", "2 of 2 migrations already running in the cluster"}}};
    Reply(res, created, 201);
  });
  s.Get(kNsMigrations, [script = std::move(script)](const httplib::Request& req, httplib::Response& res) {
    const auto it = script.find(req.get_param_value("resourceVersion"));
    Stream(res, it == script.end() ? std::vector<json>{} : it->second);
  });
}

TEST(ClientHttp, MigrateWaitFollowsPendingRunningSucceeded) {
  const json running = Migration("vm1-migration-abcde", "prod", "Running", 11);
  FakeApi api([&](httplib::Server& s) {
    MigrationRoutes(s, {{"10", {Event("MODIFIED", WithProgress(running, 0.0)),
                                Event("MODIFIED", WithProgress(Migration("vm1-migration-abcde", "prod", "Running", 12), 0.45))}},
                        // The first stream ended: the client resumes after what it saw.
                        {"12", {{{"type", "BOOKMARK"}, {"object", {{"metadata", {{"resourceVersion", "12"}}}}}},
                                Event("MODIFIED", WithProgress(Migration("vm1-migration-abcde", "prod", "Succeeded", 13), 1.0))}}});
  });
  const Outcome r = RunCli({"migrate", "vm1", "-n", "prod", "--to", "node-b", "--priority", "user-triggered", "--wait"}, api.url());
  EXPECT_EQ(0, r.code) << r.err;
  EXPECT_EQ("", r.err);
  EXPECT_EQ(
      "vm1-migration-abcde\n"
      "vm1-migration-abcde: Pending: 2 of 2 migrations already running in the cluster\n"
      "vm1-migration-abcde: Running node-a -> node-b (PreCopy)\n"
      "vm1-migration-abcde: Running 0%, 2.0 GiB left, 100.0 MiB/s, ETA 12s, iteration 2, PreCopy\n"
      "vm1-migration-abcde: Succeeded node-a -> node-b\n",
      r.out);

  const auto posts = api.requests("POST", false);
  ASSERT_EQ(1u, posts.size());
  EXPECT_EQ("/apis/kubevirt.io/v1/namespaces/prod/virtualmachineinstancemigrations", posts[0].path);
  EXPECT_EQ(json::parse(R"({"apiVersion":"kubevirt.io/v1","kind":"VirtualMachineInstanceMigration",
                            "metadata":{"generateName":"vm1-migration-","namespace":"prod"},
                            "spec":{"vmiName":"vm1","addedNodeSelector":{"kubernetes.io/hostname":"node-b"},
                                    "priority":"user-triggered"}})"),
            json::parse(posts[0].body));
  const auto watches = api.requests("GET", true);
  ASSERT_EQ(2u, watches.size());
  EXPECT_EQ("metadata.name=vm1-migration-abcde", watches[0].params.at("fieldSelector"));
  EXPECT_EQ("10", watches[0].params.at("resourceVersion"));
  EXPECT_EQ("12", watches[1].params.at("resourceVersion"));
}

TEST(ClientHttp, MigrateWaitPrintsTheFailureReasonAndExitsOne) {
  FakeApi api([&](httplib::Server& s) {
    MigrationRoutes(s, {{"10", {Event("MODIFIED", WithProgress(Migration("vm1-migration-abcde", "default", "Running", 11), 0.2)),
                                Event("MODIFIED", Failed(Migration("vm1-migration-abcde", "default", "Running", 12),
                                                         "target node ran out of memory"))}}});
  });
  const Outcome r = RunCli({"migrate", "vm1", "--wait"}, api.url());
  EXPECT_EQ(1, r.code);
  EXPECT_NE(std::string::npos, r.out.find("vm1-migration-abcde: Running 20%")) << r.out;
  EXPECT_NE(std::string::npos, r.out.find("vm1-migration-abcde: Failed: target node ran out of memory\n")) << r.out;
  const json body = json::parse(api.requests("POST", false).at(0).body);
  EXPECT_FALSE(body["spec"].contains("priority"));
  EXPECT_FALSE(body["spec"].contains("addedNodeSelector"));
  EXPECT_EQ("default", body["metadata"]["namespace"]);
}

TEST(ClientHttp, MigrateWaitEndsWhenTheMigrationIsDeleted) {
  FakeApi api([&](httplib::Server& s) {
    MigrationRoutes(s, {{"10", {Event("DELETED", Migration("vm1-migration-abcde", "default", "Pending", 11))}}});
  });
  const Outcome r = RunCli({"migrate", "vm1", "--wait"}, api.url());
  EXPECT_EQ(1, r.code);
  EXPECT_NE(std::string::npos, r.out.find("vm1-migration-abcde: deleted\n")) << r.out;
}

TEST(ClientHttp, MigrateWithoutWaitPrintsTheNameOnly) {
  FakeApi api([&](httplib::Server& s) { MigrationRoutes(s, {}); });
  const Outcome r = RunCli({"migrate", "vm7"}, api.url());
  EXPECT_EQ(0, r.code);
  EXPECT_EQ("vm7-migration-abcde\n", r.out);
  EXPECT_TRUE(api.requests("GET", true).empty());
}

TEST(ClientHttp, MigrateWaitOnATerminalRedrawsOneLine) {
  FakeApi api([&](httplib::Server& s) {
    MigrationRoutes(s, {{"10", {Event("MODIFIED", WithProgress(Migration("vm1-migration-abcde", "default", "Running", 11), 0.25)),
                                Event("MODIFIED", WithProgress(Migration("vm1-migration-abcde", "default", "Running", 12), 0.5)),
                                Event("MODIFIED", WithProgress(Migration("vm1-migration-abcde", "default", "Succeeded", 13), 1.0))}}});
  });
  const Outcome r = RunCli({"migrate", "vm1", "--wait"}, api.url(), /*terminal=*/true);
  EXPECT_EQ(0, r.code);
  EXPECT_NE(std::string::npos, r.out.find("vm1-migration-abcde [#####...............]   25%  1.5 GiB left")) << r.out;
  EXPECT_NE(std::string::npos, r.out.find("\r\x1b[Kvm1-migration-abcde [##########..........]   50%")) << r.out;
  EXPECT_NE(std::string::npos, r.out.find("\r\x1b[Kvm1-migration-abcde: Succeeded node-a -> node-b\n")) << r.out;
  EXPECT_EQ('\n', r.out.back());
}

TEST(ClientHttp, WatchNameListsAgainWhenTheResourceVersionExpired) {
  int gets = 0;
  FakeApi api([&](httplib::Server& s) {
    s.Get(kNsMigration, [&gets](const httplib::Request&, httplib::Response& res) {
      ++gets;
      Reply(res, WithProgress(Migration("vm1-migration-abcde", "default", "Running", gets == 1 ? 20 : 30), 0.5));
    });
    s.Get(kNsMigrations, [](const httplib::Request& req, httplib::Response& res) {
      const std::string rv = req.get_param_value("resourceVersion");
      if (rv == "20") {
        Stream(res, {Event("ERROR", Status(410, "Expired", "too old resource version: 20 (25)"))});
      } else if (rv == "30") {
        Stream(res, {Event("MODIFIED", WithProgress(Migration("vm1-migration-abcde", "default", "Succeeded", 31), 1))});
      } else {
        Reply(res, Status(400, "BadRequest", "unexpected resourceVersion " + rv), 400);
      }
    });
  });
  const Outcome r = RunCli({"watch", "vm1-migration-abcde"}, api.url());
  EXPECT_EQ(0, r.code) << r.err;
  EXPECT_EQ(2, gets);
  const auto watches = api.requests("GET", true);
  ASSERT_EQ(2u, watches.size());
  EXPECT_EQ("30", watches[1].params.at("resourceVersion"));
  EXPECT_NE(std::string::npos, r.out.find("vm1-migration-abcde: Succeeded")) << r.out;
}

TEST(ClientHttp, AWatchAnswered410ListsAgain) {
  int gets = 0;
  FakeApi api([&](httplib::Server& s) {
    s.Get(kNsMigration, [&gets](const httplib::Request&, httplib::Response& res) {
      ++gets;
      Reply(res, Migration("vm1-migration-abcde", "apps", "Pending", gets == 1 ? 20 : 30));
    });
    s.Get(kNsMigrations, [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_param_value("resourceVersion") == "20") {
        Reply(res, Status(410, "Expired", "too old resource version: 20 (25)"), 410);
      } else {
        Stream(res, {Event("DELETED", Migration("vm1-migration-abcde", "apps", "Pending", 31))});
      }
    });
  });
  const Outcome r = RunCli({"watch", "vm1-migration-abcde", "-n", "apps"}, api.url());
  EXPECT_EQ(1, r.code) << r.err;
  EXPECT_EQ("", r.err);
  EXPECT_EQ(2, gets);
  EXPECT_EQ("vm1-migration-abcde: Pending\nvm1-migration-abcde: deleted\n", r.out);
}

TEST(ClientHttp, WatchNameOfAFinishedMigrationReturnsAtOnce) {
  FakeApi api([&](httplib::Server& s) {
    s.Get(kNsMigration, [](const httplib::Request&, httplib::Response& res) {
      Reply(res, Failed(Migration("m-x", "default", "Failed", 5), "aborted"));
    });
  });
  const Outcome r = RunCli({"watch", "m-x"}, api.url());
  EXPECT_EQ(1, r.code);
  EXPECT_EQ("m-x: Failed: aborted\n", r.out);
  EXPECT_TRUE(api.requests("GET", true).empty());
}

TEST(ClientHttp, WatchAllStreamsChangesUntilTheServerErrs) {
  FakeApi api([&](httplib::Server& s) {
    s.Get(kAllMigrations, [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_param_value("watch") != "true") {
        Reply(res, List({Migration("old-migration-aaaaa", "a", "Succeeded", 3),
                         WithProgress(Migration("vm2-migration-bbbbb", "b", "Running", 7), 0.1)}, 9));
        return;
      }
      Stream(res, {Event("ADDED", Migration("vm3-migration-ccccc", "a", "Pending", 10)),
                   Event("MODIFIED", WithProgress(Migration("vm2-migration-bbbbb", "b", "Succeeded", 11), 1)),
                   Event("ERROR", Status(500, "InternalError", "the store is closing"))});
    });
  });
  const Outcome r = RunCli({"watch", "-A"}, api.url());
  EXPECT_EQ(1, r.code);
  EXPECT_EQ("error: the store is closing\n", r.err);
  EXPECT_EQ(
      "b/vm2-migration-bbbbb: Running node-a -> node-b (PreCopy)\n"
      "b/vm2-migration-bbbbb: Running 10%, 1.8 GiB left, 100.0 MiB/s, ETA 12s, iteration 2, PreCopy\n"
      "a/vm3-migration-ccccc: Pending\n"
      "b/vm2-migration-bbbbb: Succeeded node-a -> node-b\n",
      r.out);
  EXPECT_EQ("9", api.requests("GET", true).at(0).params.at("resourceVersion"));
}

TEST(ClientHttp, TheTokenIsSentAsABearerHeader) {
  const std::string token_path = ::testing::TempDir() + "/client_http_token";
  std::ofstream(token_path) << "  s3cret-token\n";
  FakeApi api([&](httplib::Server& s) {
    s.Get(kNsMigrations, [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_header_value("Authorization") != "Bearer s3cret-token") {
        Reply(res, Status(401, "Unauthorized", "Unauthorized"), 401);
        return;
      }
      Reply(res, List({Migration("vm1-migration-abcde", "default", "Pending", 4)}, 5));
    });
  });
  const Outcome ok = RunCli({"list"}, api.url(), false, token_path);
  EXPECT_EQ(0, ok.code) << ok.err;
  EXPECT_NE(std::string::npos, ok.out.find("default     vm1-migration-abcde   vm1   Pending")) << ok.out;
  EXPECT_EQ("Bearer s3cret-token", api.requests().at(0).authorization);

  const Outcome denied = RunCli({"list"}, api.url());
  EXPECT_EQ(1, denied.code);
  EXPECT_EQ("error: Unauthorized\n", denied.err);
  std::remove(token_path.c_str());
}

TEST(ClientHttp, AStatusAnswerPrintsItsMessage) {
  const std::string message =
      "VirtualMachineInstanceMigration.kubevirt.io \"\" is invalid: spec.vmiName: Invalid value: \"Bad_Name\": "
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters";
  FakeApi api([&](httplib::Server& s) {
    s.Post(kNsMigrations, [&](const httplib::Request&, httplib::Response& res) { Reply(res, Status(422, "Invalid", message), 422); });
  });
  const Outcome r = RunCli({"migrate", "Bad_Name", "--wait"}, api.url());
  EXPECT_EQ(1, r.code);
  EXPECT_EQ("error: " + message + "\n", r.err);
  EXPECT_EQ("", r.out);
}

TEST(ClientHttp, AnAnswerThatIsNotAStatusNamesTheHttpCode) {
  FakeApi api([&](httplib::Server& s) {
    s.Get(kNsMigration, [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content("404 page not found\n", "text/plain");
    });
  });
  const Outcome r = RunCli({"get", "x"}, api.url());
  EXPECT_EQ(1, r.code);
  EXPECT_EQ("error: the server answered HTTP 404: 404 page not found\n", r.err);
}

TEST(ClientHttp, WarningHeadersAreShown) {
  FakeApi api([&](httplib::Server& s) {
    s.Post(kNsMigrations, [](const httplib::Request&, httplib::Response& res) {
      res.set_header("Warning", "299 - \"spec.priority is ignored by this server\"");
      Reply(res, Migration("vm1-migration-abcde", "default", "Pending", 2), 201);
    });
  });
  const Outcome r = RunCli({"migrate", "vm1"}, api.url());
  EXPECT_EQ(0, r.code);
  EXPECT_EQ("warning: spec.priority is ignored by this server\n", r.err);
}

TEST(ClientHttp, ConnectionRefusedNamesTheServer) {
  // A port nothing listens on: bound once, then released.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(0, ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr));
  socklen_t len = sizeof addr;
  ASSERT_EQ(0, ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len));
  ::close(fd);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  const Outcome r = RunCli({"list"}, url);
  EXPECT_EQ(1, r.code);
  EXPECT_EQ("error: cannot reach " + url + ": Connection refused\n", r.err);
}

TEST(ClientHttp, GetPrintsASummaryJsonOrYaml) {
  FakeApi api([&](httplib::Server& s) {
    s.Get(kNsMigration, [](const httplib::Request& req, httplib::Response& res) {
      Reply(res, WithProgress(Migration(req.matches[2], req.matches[1], "Running", 4), 0.5));
    });
  });
  const Outcome summary = RunCli({"get", "vm1-migration-abcde", "-n", "apps"}, api.url());
  EXPECT_EQ(0, summary.code);
  EXPECT_EQ(0u, summary.out.find("Name:       vm1-migration-abcde\nNamespace:  apps\nVMI:        vm1\nPhase:      Running\n"))
      << summary.out;
  EXPECT_NE(std::string::npos, summary.out.find("Progress:   50%, 1.0 GiB of 2.0 GiB left, 100.0 MiB/s, ETA 12s, iteration 2\n"));
  const Outcome as_json = RunCli({"get", "vm1-migration-abcde", "-o", "json"}, api.url());
  EXPECT_EQ("Running", json::parse(as_json.out)["status"]["phase"]);
  const Outcome as_yaml = RunCli({"get", "vm1-migration-abcde", "-oyaml"}, api.url());
  EXPECT_NE(std::string::npos, as_yaml.out.find("\nkind: VirtualMachineInstanceMigration\n")) << as_yaml.out;
  EXPECT_NE(std::string::npos, as_yaml.out.find("\n  phase: Running\n")) << as_yaml.out;
  EXPECT_EQ("/apis/kubevirt.io/v1/namespaces/apps/virtualmachineinstancemigrations/vm1-migration-abcde",
            api.requests().at(0).path);
}

TEST(ClientHttp, ListAllNamespacesAndAnEmptyList) {
  FakeApi api([&](httplib::Server& s) {
    s.Get(kAllMigrations, [](const httplib::Request&, httplib::Response& res) {
      Reply(res, List({Migration("vm1-migration-abcde", "b", "Pending", 4), Migration("vm2-migration-abcde", "a", "Pending", 5)}, 5));
    });
    s.Get(kNsMigrations, [](const httplib::Request&, httplib::Response& res) { Reply(res, List({}, 5)); });
  });
  const Outcome all = RunCli({"list", "-A"}, api.url());
  EXPECT_EQ(0, all.code);
  EXPECT_EQ(0u, all.out.find("NAMESPACE   NAME                  VMI   PHASE     SOURCE   TARGET   PROGRESS   AGE\n"
                             "a           vm2-migration-abcde   vm2   Pending   -        -        -          "))
      << all.out;
  const Outcome none = RunCli({"list", "-n", "empty"}, api.url());
  EXPECT_EQ(0, none.code);
  EXPECT_EQ("", none.out);
  EXPECT_EQ("No migrations found in namespace empty.\n", none.err);
}

TEST(ClientHttp, CancelSaysWhatHappened) {
  FakeApi api([&](httplib::Server& s) {
    s.Get(kNsMigration, [](const httplib::Request& req, httplib::Response& res) {
      const std::string name = req.matches[2];
      Reply(res, name == "running-x" ? WithProgress(Migration(name, "default", "Running", 4), 0.62)
                                     : Migration(name, "default", "Pending", 4));
    });
    s.Delete(kNsMigration, [](const httplib::Request& req, httplib::Response& res) {
      const std::string name = req.matches[2];
      if (name == "running-x") {
        json o = WithProgress(Migration(name, "default", "Running", 5), 0.62);
        o["status"]["migrationState"]["abortRequested"] = true;
        Reply(res, o);
      } else {
        Reply(res, Status(200, "", ""));
      }
    });
  });
  const Outcome running = RunCli({"cancel", "running-x"}, api.url());
  EXPECT_EQ(0, running.code);
  EXPECT_EQ("running-x: abort requested (it was Running, 62%)\n", running.out);
  const Outcome queued = RunCli({"cancel", "queued-y"}, api.url());
  EXPECT_EQ(0, queued.code);
  EXPECT_EQ("queued-y: dropped from the queue (it had not started)\n", queued.out);
  EXPECT_EQ(2u, api.requests("DELETE", false).size());
}

// VMIs: two running on node-1 (in two namespaces), one on node-2, one on
// node-1 that is not running, and one on node-1 already migrating.
void DrainRoutes(httplib::Server& s, std::vector<json> watch_events) {
  s.Get(kAllVmis, [](const httplib::Request&, httplib::Response& res) {
    auto vmi = [](const std::string& ns, const std::string& name, const std::string& node, const std::string& phase) {
      return json{{"metadata", {{"name", name}, {"namespace", ns}}}, {"status", {{"nodeName", node}, {"phase", phase}}}};
    };
    Reply(res, {{"kind", "VirtualMachineInstanceList"},
                {"metadata", {{"resourceVersion", "40"}}},
                {"items", {vmi("prod", "vm-b", "node-1", "Running"), vmi("default", "vm-a", "node-1", "Running"),
                           vmi("default", "vm-c", "node-2", "Running"), vmi("default", "vm-d", "node-1", "Succeeded"),
                           vmi("default", "vm-e", "node-1", "Running")}}});
  });
  s.Post(kNsMigrations, [](const httplib::Request& req, httplib::Response& res) {
    const json o = json::parse(req.body);
    json created = Migration(o["metadata"]["generateName"].get<std::string>() + "xxxxx", req.matches[1], "Pending", 41);
    created["spec"] = o["spec"];
    Reply(res, created, 201);
  });
  s.Get(kAllMigrations, [watch_events = std::move(watch_events)](const httplib::Request& req, httplib::Response& res) {
    if (req.get_param_value("watch") == "true") {
      Stream(res, watch_events);
      return;
    }
    json e = WithProgress(Migration("vm-e-migration-eeeee", "default", "Running", 30), 0.7);
    e["spec"]["vmiName"] = "vm-e";
    Reply(res, List({e, Migration("vm-a-migration-old", "default", "Succeeded", 20)}, 42));
  });
}

TEST(ClientHttp, DrainCreatesOneSystemCriticalMigrationPerVmiOnTheNode) {
  FakeApi api([&](httplib::Server& s) { DrainRoutes(s, {}); });
  const Outcome r = RunCli({"drain", "node-1"}, api.url());
  EXPECT_EQ(0, r.code) << r.err;
  EXPECT_EQ(
      "migration default/vm-a-drain-xxxxx created for VMI default/vm-a\n"
      "VMI default/vm-e is already migrating: default/vm-e-migration-eeeee\n"
      "migration prod/vm-b-drain-xxxxx created for VMI prod/vm-b\n",
      r.out);
  const auto posts = api.requests("POST", false);
  ASSERT_EQ(2u, posts.size());
  EXPECT_EQ("/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstancemigrations", posts[0].path);
  EXPECT_EQ(json::parse(R"({"apiVersion":"kubevirt.io/v1","kind":"VirtualMachineInstanceMigration",
                            "metadata":{"generateName":"vm-a-drain-","namespace":"default"},
                            "spec":{"vmiName":"vm-a","priority":"system-critical"}})"),
            json::parse(posts[0].body));
  EXPECT_EQ("/apis/kubevirt.io/v1/namespaces/prod/virtualmachineinstancemigrations", posts[1].path);
  EXPECT_EQ("system-critical", json::parse(posts[1].body)["spec"]["priority"]);
  EXPECT_EQ("vm-b-drain-", json::parse(posts[1].body)["metadata"]["generateName"]);
}

TEST(ClientHttp, DrainWaitExitsOneWhenAnyMigrationFailed) {
  FakeApi api([&](httplib::Server& s) {
    DrainRoutes(s, {Event("MODIFIED", WithProgress(Migration("vm-a-drain-xxxxx", "default", "Succeeded", 50), 1)),
                    Event("MODIFIED", WithProgress(Migration("other-migration-zzzzz", "default", "Running", 51), 0.1)),
                    Event("MODIFIED", Failed(Migration("vm-b-drain-xxxxx", "prod", "Running", 52), "no target node has room")),
                    Event("MODIFIED", WithProgress(Migration("vm-e-migration-eeeee", "default", "Succeeded", 53), 1))});
  });
  const Outcome r = RunCli({"drain", "node-1", "--wait"}, api.url());
  EXPECT_EQ(1, r.code) << r.err;
  EXPECT_NE(std::string::npos, r.out.find("prod/vm-b-drain-xxxxx: Failed: no target node has room\n")) << r.out;
  EXPECT_EQ(std::string::npos, r.out.find("other-migration")) << r.out;
  EXPECT_NE(std::string::npos,
            r.out.find("drain node-1: 2 of 3 migrations succeeded; not: prod/vm-b-drain-xxxxx (failed)\n"))
      << r.out;
  EXPECT_EQ("42", api.requests("GET", true).at(0).params.at("resourceVersion"));
}

TEST(ClientHttp, DrainOfAnEmptyNode) {
  FakeApi api([&](httplib::Server& s) { DrainRoutes(s, {}); });
  const Outcome r = RunCli({"drain", "node-9", "--wait"}, api.url());
  EXPECT_EQ(0, r.code);
  EXPECT_EQ("no running VMIs on node node-9\n", r.out);
}

}  // namespace
}  // namespace migmon::client

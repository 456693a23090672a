// The migration controller against a real store in a scratch folder and fake
// nodes (a snapshot the test sets, a recording action port): creates for a
// VMI whose node is down, DELETE with dryRun and preconditions, and store
// writes that fail (a full disk, made by a trigger that refuses every write)
// and must land once space is back.
#include "migrations/controller.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "api/k8s/resources.h"
#include "migrations/object_status.h"
#include "tests/unit/test_directory.h"
#include "util/sqlite.h"

namespace migmon::migrations {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr uint64_t GiB = 1ull << 30;
const std::string kPlural{api::k8s::kMigrationPlural};

class RecordingPort : public ActionPort {
 public:
  void Submit(const std::string& node, MigrationAction action) override {
    std::lock_guard lock(mutex);
    submitted.push_back({node, std::move(action)});
  }
  size_t Count() {
    std::lock_guard lock(mutex);
    return submitted.size();
  }
  std::mutex mutex;
  std::vector<std::pair<std::string, MigrationAction>> submitted;
};

// Launches nothing: records each request and never calls back.
class IdleLauncher : public LaunchPort {
 public:
  void Launch(LaunchRequest request, std::function<bool(const LaunchPlan&)>,
              std::function<void(const LaunchResult&)>) override {
    std::lock_guard lock(mutex);
    requests.push_back(std::move(request));
  }
  std::mutex mutex;
  std::vector<LaunchRequest> requests;
};

json Migration(const std::string& name, const std::string& vmi) {
  return {{"apiVersion", "kubevirt.io/v1"},
          {"kind", "VirtualMachineInstanceMigration"},
          {"metadata", {{"name", name}}},
          {"spec", {{"vmiName", vmi}}}};
}

// A migration object as a monitor that was stopped mid-launch left it.
json Launched(const std::string& name, const std::string& phase) {
  json obj = Migration(name, "web");
  obj["metadata"]["namespace"] = "default";
  obj["metadata"]["annotations"] = {{"migration-monitor.io/domain-uuid", "u-web"}};
  obj["status"] = {{"phase", phase}, {"migrationState", {{"sourceNode", "node-1"}, {"targetNode", "node-2"}}}};
  return obj;
}

class ControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    store_ = store::ObjectStore::Open(DbPath(), error);
    ASSERT_TRUE(store_) << error;
    // node-1 runs the VMI "web"; no node has room for it, so nothing launches.
    snap_.nodes = {Node("node-1", {{"u-web", "web", 1 * GiB, true, false, "running"}}), Node("node-2", {})};
  }

  static NodeView Node(const std::string& name, std::vector<DomainSummary> domains) {
    NodeView n;
    n.name = name;
    n.up = true;
    n.detail = "connected";
    n.sweeps = 1;
    n.domains = std::move(domains);
    n.available_memory_bytes = 0;
    return n;
  }

  void StartController() {
    NodeReadings ports;
    ports.snapshot = [this] {
      std::lock_guard lock(mutex_);
      return snap_;
    };
    ports.recent_outcome = [](const std::string&, const std::string&, double) { return std::optional<Outcome>(); };
    ports.request_sweep = [this] {
      std::lock_guard lock(mutex_);
      for (auto& n : snap_.nodes) n.sweeps += n.up && !silent_.contains(n.name) ? 1 : 0;
    };
    ControllerSettings settings;
    for (const char* name : {"node-1", "node-2"}) {
      config::NodeConfig n;
      n.name = name;
      n.uri = std::string("test:///") + name;
      n.labels = {{"kubernetes.io/hostname", name}};
      settings.nodes.push_back(n);
    }
    controller_ = std::make_unique<Controller>(*store_, launcher_, port_, RealClock(), ports, settings);
    std::string error;
    ASSERT_TRUE(controller_->Start(error)) << error;
  }

  void SetNode(const std::string& name, bool up, uint64_t sweeps = 1) {
    std::lock_guard lock(mutex_);
    for (auto& n : snap_.nodes) {
      if (n.name != name) continue;
      n.up = up;
      n.detail = up ? "connected" : "cannot connect: Connection refused";
      n.sweeps = sweeps;
    }
  }

  // A disk that is full: every write to the objects table fails, as SQLITE_FULL would.
  void FillDisk() {
    for (const char* op : {"UPDATE", "DELETE", "INSERT"}) {
      Sql(std::string("CREATE TRIGGER full_") + op + " BEFORE " + op +
          " ON objects BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END");
    }
  }
  void FreeDisk() {
    for (const char* op : {"UPDATE", "DELETE", "INSERT"}) Sql(std::string("DROP TRIGGER full_") + op);
  }
  void Sql(const std::string& statement) {
    std::string error;
    auto db = sqlite::Database::Open(DbPath(), error);
    ASSERT_TRUE(db) << error;
    ASSERT_TRUE(db->Run(statement, {}, error)) << error;
  }

  std::string StoredPhase(const std::string& name) {
    const auto got = store_->Get(kPlural, "default", name);
    return got ? PhaseName(PhaseOf(got->object)) : "(absent)";
  }
  // Polls until `done` or the bound passes; the controller ticks every 250 ms.
  static bool Eventually(const std::function<bool()>& done, std::chrono::milliseconds bound = 5000ms) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(20ms);
    }
    return done();
  }

  std::string DbPath() const { return (scratch_.path() / "objects.db").string(); }

  testing_support::TestDirectory scratch_;
  std::unique_ptr<store::ObjectStore> store_;
  std::mutex mutex_;
  Snapshot snap_;
  std::set<std::string> silent_;  // nodes that do not answer a sweep request
  RecordingPort port_;
  IdleLauncher launcher_;
  std::unique_ptr<Controller> controller_;  // last: stopped before what it uses goes
};

TEST_F(ControllerTest, CreateForAVmiOnANodeThatIsDownIs503NamingTheNode) {
  StartController();
  SetNode("node-1", false);
  const auto r = controller_->Create("default", Migration("m1", "web"));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::kUnavailable) << r.error->message;
  EXPECT_NE(r.error->message.find("node-1 is not connected (cannot connect: Connection refused)"), std::string::npos)
      << r.error->message;
  EXPECT_EQ(store_->List(kPlural, std::nullopt).items.size(), 0u);
}

TEST_F(ControllerTest, CreateForAnUnknownVmiWhileANodeIsDownOrUnlistedIs503) {
  StartController();
  SetNode("node-2", false);
  auto r = controller_->Create("default", Migration("m1", "elsewhere"));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::kUnavailable) << r.error->message;
  EXPECT_NE(r.error->message.find("node-2 is not connected"), std::string::npos) << r.error->message;
  SetNode("node-2", true, 0);  // connected, but its domains not listed yet...
  {
    std::lock_guard lock(mutex_);
    silent_.insert("node-2");  // ...and the sweep asked for does not come in time
  }
  r = controller_->Create("default", Migration("m1", "elsewhere"));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::kUnavailable) << r.error->message;
  EXPECT_NE(r.error->message.find("node-2 has not been listed yet"), std::string::npos) << r.error->message;
}

TEST_F(ControllerTest, CreateForAnUnknownVmiWithEveryNodeListedIs404) {
  StartController();
  const auto r = controller_->Create("default", Migration("m1", "elsewhere"));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::kNotFound) << r.error->message;
  EXPECT_EQ(r.error->message, "virtualmachineinstances.kubevirt.io \"elsewhere\" not found");
  EXPECT_TRUE(controller_->Create("default", Migration("m1", "web")).ok());
  const auto again = controller_->Create("default", Migration("m1", "web"));
  ASSERT_TRUE(again.error);
  EXPECT_EQ(again.error->code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error->message, "virtualmachineinstancemigrations.kubevirt.io \"m1\" already exists");
}

TEST_F(ControllerTest, DryRunDeleteOfAQueuedMigrationRemovesNothing) {
  StartController();
  ASSERT_TRUE(controller_->Create("default", Migration("m1", "web")).ok());
  api::k8s::DeleteOptions dry;
  dry.dry_run = true;
  const auto r = controller_->Delete("default", "m1", dry);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.abort_requested);
  EXPECT_EQ(r.object["metadata"]["name"], "m1");
  EXPECT_EQ(StoredPhase("m1"), "Pending");
  EXPECT_EQ(controller_->GetCounts().by_phase["Pending"], 1u);
  EXPECT_TRUE(controller_->Delete("default", "m1").ok());
  EXPECT_EQ(StoredPhase("m1"), "(absent)");
}

TEST_F(ControllerTest, DryRunDeleteOfARunningMigrationAbortsNothing) {
  ASSERT_TRUE(store_->Create(kPlural, Launched("m1", "Running")).ok());
  MigrationView running;
  running.source = {"node-1", "u-web", "web"};
  running.vmi = {"default", "web"};
  snap_.migrations = {running};
  StartController();
  api::k8s::DeleteOptions dry;
  dry.dry_run = true;
  const auto r = controller_->Delete("default", "m1", dry);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.abort_requested);
  EXPECT_EQ(r.object["status"]["migrationState"]["abortRequested"], true);
  std::this_thread::sleep_for(600ms);  // a couple of ticks: nothing may be submitted by them either
  EXPECT_EQ(port_.Count(), 0u);
  const auto stored = store_->Get(kPlural, "default", "m1");
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->object["status"]["migrationState"].contains("abortRequested"));

  EXPECT_TRUE(controller_->Delete("default", "m1").abort_requested);
  ASSERT_EQ(port_.Count(), 1u);
  EXPECT_EQ(port_.submitted[0].first, "node-1");
  EXPECT_EQ(port_.submitted[0].second.uuid, "u-web");
  EXPECT_EQ(port_.submitted[0].second.kind, MigrationAction::Kind::kAbort);
}

TEST_F(ControllerTest, DeletePreconditionsAreCheckedAgainstTheStoredObject) {
  StartController();
  ASSERT_TRUE(controller_->Create("default", Migration("m1", "web")).ok());
  // Wait for the "why it waits" condition: after it the object does not change.
  ASSERT_TRUE(Eventually([&] {
    const auto got = store_->Get(kPlural, "default", "m1");
    return got && got->object["status"].contains("conditions");
  }));
  const auto stored = store_->Get(kPlural, "default", "m1");
  const std::string uid = stored->object["metadata"]["uid"];
  const std::string rv = stored->object["metadata"]["resourceVersion"];

  api::k8s::DeleteOptions stale;
  stale.preconditions.resource_version = "1";
  ASSERT_NE(rv, "1");
  auto r = controller_->Delete("default", "m1", stale);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::kConflict);
  EXPECT_EQ(r.error->message, "Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in meta: " + rv);
  api::k8s::DeleteOptions other_uid;
  other_uid.preconditions.uid = "not-" + uid;
  EXPECT_EQ(controller_->Delete("default", "m1", other_uid).error->code, ErrorCode::kConflict);
  EXPECT_EQ(StoredPhase("m1"), "Pending");

  api::k8s::DeleteOptions current;
  current.preconditions = {uid, rv};
  EXPECT_TRUE(controller_->Delete("default", "m1", current).ok());
  EXPECT_EQ(StoredPhase("m1"), "(absent)");
}

TEST_F(ControllerTest, AStatusWriteThatFailsIsWrittenOnceSpaceIsBack) {
  // Left in Scheduled by a monitor stopped before the migrate call; the VMI
  // still runs on the source, so this start queues it again.
  ASSERT_TRUE(store_->Create(kPlural, Launched("m1", "Scheduled")).ok());
  FillDisk();
  StartController();
  ASSERT_TRUE(Eventually([&] { return controller_->GetCounts().by_phase["Pending"] == 1; }));
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(StoredPhase("m1"), "Scheduled");  // the write failed...
  FreeDisk();
  EXPECT_TRUE(Eventually([&] { return StoredPhase("m1") == "Pending"; })) << StoredPhase("m1");  // ...and landed
  const auto stored = store_->Get(kPlural, "default", "m1");
  EXPECT_FALSE(stored->object["status"].contains("migrationState"));
}

TEST_F(ControllerTest, ADeleteThatFailsKeepsTheMigrationQueued) {
  StartController();
  ASSERT_TRUE(controller_->Create("default", Migration("m1", "web")).ok());
  FillDisk();
  const auto failed = controller_->Delete("default", "m1");
  ASSERT_TRUE(failed.error);
  EXPECT_EQ(failed.error->code, ErrorCode::kStoreFailed);
  EXPECT_NE(failed.error->message.find("database or disk is full"), std::string::npos) << failed.error->message;
  EXPECT_EQ(controller_->GetCounts().by_phase["Pending"], 1u);
  FreeDisk();
  EXPECT_TRUE(controller_->Delete("default", "m1").ok());
  EXPECT_EQ(StoredPhase("m1"), "(absent)");
}

}  // namespace
}  // namespace migmon::migrations

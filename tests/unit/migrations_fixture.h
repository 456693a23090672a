// A lifecycle stage under test, without libvirt or threads: a real store in
// a scratch folder, nodes as a snapshot the test sets, the watchers'
// accounts of ended jobs as a map, a fake LaunchPort whose callbacks the
// test fires, a recording ActionPort, a FakeClock and a disk the test can
// fill. The Controller is loaded but its loop thread is not started: the
// test calls Tick().
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "api/k8s/resources.h"
#include "migrations/controller.h"
#include "migrations/object_status.h"
#include "tests/unit/fake_clock.h"
#include "tests/unit/test_directory.h"
#include "util/sqlite.h"
#include "util/time_format.h"

namespace migmon::testing_support {

// Records each launch and lets the test play libvirt's part: on_ready
// (about to call migrate) and on_done (the call returned).
class FakeLauncher : public LaunchPort {
 public:
  struct Call {
    LaunchRequest request;
    std::function<bool(const LaunchPlan&)> on_ready;
    std::function<void(const LaunchResult&)> on_done;
  };
  void Launch(LaunchRequest request, std::function<bool(const LaunchPlan&)> on_ready,
              std::function<void(const LaunchResult&)> on_done) override {
    std::lock_guard lock(mutex_);
    calls_.push_back({std::move(request), std::move(on_ready), std::move(on_done)});
  }
  size_t Count() const {
    std::lock_guard lock(mutex_);
    return calls_.size();
  }
  LaunchRequest Request(size_t i) const {
    std::lock_guard lock(mutex_);
    return calls_.at(i).request;
  }
  // The callbacks run outside this fake's lock, as on a launcher thread.
  bool Ready(size_t i, LaunchPlan plan = {}) { return Get(i).on_ready(plan); }
  void Done(size_t i, bool ok, std::string error = "") { Get(i).on_done(LaunchResult{ok, std::move(error)}); }

 private:
  Call Get(size_t i) const {
    std::lock_guard lock(mutex_);
    return calls_.at(i);
  }
  mutable std::mutex mutex_;
  std::vector<Call> calls_;
};

class FakeActions : public ActionPort {
 public:
  void Submit(const std::string& node, MigrationAction action) override {
    std::lock_guard lock(mutex_);
    submitted_.push_back({node, std::move(action)});
  }
  std::vector<std::pair<std::string, MigrationAction>> Submitted() const {
    std::lock_guard lock(mutex_);
    return submitted_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, MigrationAction>> submitted_;
};

inline constexpr uint64_t kGiB = 1ull << 30;

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    store_ = store::ObjectStore::Open((scratch_.path() / "objects.db").string(), error);
    ASSERT_TRUE(store_) << error;
    // node-1 runs the VMI "web"; both nodes have room for it.
    snap_.nodes = {Node("node-1", {Domain("u-web", "web")}), Node("node-2", {})};
    for (const char* name : {"node-1", "node-2"}) {
      config::NodeConfig n;
      n.name = name;
      n.uri = std::string("test:///") + name;
      n.labels = {{"kubernetes.io/hostname", name}};
      settings_.nodes.push_back(n);
    }
  }

  static DomainSummary Domain(const std::string& uuid, const std::string& name, bool running = true) {
    return {uuid, name, 1 * kGiB, running, false, running ? "running" : "paused"};
  }
  static NodeView Node(const std::string& name, std::vector<DomainSummary> domains) {
    NodeView n;
    n.name = name;
    n.up = true;
    n.detail = "connected";
    n.sweeps = 1;
    n.domains = std::move(domains);
    n.available_memory_bytes = 8 * kGiB;
    return n;
  }
  NodeView& NodeNamed(const std::string& name) {
    for (auto& n : snap_.nodes) {
      if (n.name == name) return n;
    }
    throw std::out_of_range(name);
  }

  // The controller over what SetUp and the test prepared (stored objects included).
  void Make() {
    migrations::NodeReadings nodes;
    nodes.snapshot = [this](bool with_domains) {
      std::lock_guard lock(mutex_);
      return Published(with_domains);
    };
    nodes.recent_outcome = [this](const std::string& node, const std::string& uuid, double) {
      std::lock_guard lock(mutex_);
      const auto it = outcomes_.find({node, uuid});
      return it == outcomes_.end() ? std::optional<Outcome>() : std::optional<Outcome>(it->second);
    };
    // A sweep asked for (by a create for a VMI no node listed) lands at
    // once on every node that is up, except those the test made silent.
    nodes.request_sweep = [this] {
      std::lock_guard lock(mutex_);
      for (auto& n : snap_.nodes) n.sweeps += n.up && !silent_.contains(n.name) ? 1 : 0;
    };
    controller_ = std::make_unique<migrations::Controller>(*store_, launcher_, actions_, clock_, nodes, settings_);
    std::string error;
    ASSERT_TRUE(controller_->Load(error)) << error;
  }

  // libvirt's job of `uuid` leaving `source` for `target`.
  void StartJob(const std::string& uuid, const std::string& source, const std::string& target,
                double elapsed = 2, const std::string& vmi = "web") {
    MigrationView m;
    m.source = {source, uuid, vmi};
    m.vmi = {"default", vmi};
    m.target_node = target;
    m.last.elapsed_seconds = elapsed;
    m.started_at = clock_.Now() - elapsed;  // as the tracker fixes it at discovery
    m.progress_ratio = 0.5;
    snap_.migrations.push_back(m);
    ++NodeNamed(source).outbound;
    ++NodeNamed(target).inbound;
  }
  void EndJobs() {
    snap_.migrations.clear();
    for (auto& n : snap_.nodes) n.outbound = n.inbound = 0;
  }
  // The VMI's domain now runs on `node` only.
  void MoveVmi(const std::string& node) {
    for (auto& n : snap_.nodes) n.domains.clear();
    NodeNamed(node).domains = {Domain("u-web", "web")};
  }

  static nlohmann::json Migration(const std::string& name, const std::string& vmi = "web") {
    return {{"apiVersion", "kubevirt.io/v1"},
            {"kind", "VirtualMachineInstanceMigration"},
            {"metadata", {{"name", name}}},
            {"spec", {{"vmiName", vmi}}}};
  }
  // An object as a monitor stopped in `phase` left it (launched from node-1 to node-2).
  void StoreLaunched(const std::string& name, const std::string& phase) {
    nlohmann::json obj = Migration(name);
    obj["metadata"]["namespace"] = "default";
    obj["metadata"]["annotations"] = {{migrations::kUuidAnnotation, "u-web"}};
    obj["status"] = {{"phase", phase}, {"migrationState", {{"sourceNode", "node-1"}, {"targetNode", "node-2"}}}};
    ASSERT_TRUE(store_->Create(Plural(), obj).ok());
  }
  migrations::Answer Create(const std::string& name, const std::string& vmi = "web") {
    return controller_->Create("default", Migration(name, vmi));
  }

  static std::string Plural() { return std::string(api::k8s::kMigrationPlural); }
  nlohmann::json Stored(const std::string& name) const {
    const auto got = store_->Get(Plural(), "default", name);
    return got ? got->object : nlohmann::json();
  }
  std::string StoredPhase(const std::string& name) const {
    const auto obj = Stored(name);
    return obj.is_null() ? "(absent)" : migrations::PhaseName(migrations::PhaseOf(obj));
  }
  nlohmann::json State(const std::string& name) const {
    return Stored(name)["status"].value("migrationState", nlohmann::json::object());
  }
  std::vector<std::string> PhaseHistory(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& t : Stored(name)["status"].value("phaseTransitionTimestamps", nlohmann::json::array())) {
      out.push_back(t.value("phase", ""));
    }
    return out;
  }
  std::string WaitReason(const std::string& name) const {
    for (const auto& c : Stored(name)["status"].value("conditions", nlohmann::json::array())) {
      if (c.value("type", "") == "Scheduled") return c.value("reason", "");
    }
    return "";
  }
  void Tick() { controller_->Tick(); }

  // snap_ as the tracker publishes it: each node's generation changes when
  // (and only when) its domain list does, and a light snapshot carries no list.
  Snapshot Published(bool with_domains) const {
    Snapshot out = snap_;
    for (auto& n : out.nodes) {
      size_t h = n.domains.size();
      for (const auto& d : n.domains) {
        for (const auto& part : {d.uuid, d.name, d.state, std::to_string(d.memory_bytes),
                                 std::to_string(d.running), std::to_string(d.persistent)}) {
          h = h * 1000003u ^ std::hash<std::string>()(part);
        }
      }
      n.inventory_generation = h;
      n.domain_count = n.domains.size();
      if (!with_domains) n.domains.clear();
    }
    return out;
  }

  // A disk that is full: every write to the objects table fails, as
  // SQLITE_FULL would, until FreeDisk().
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
    auto db = sqlite::Database::Open((scratch_.path() / "objects.db").string(), error);
    ASSERT_TRUE(db) << error;
    ASSERT_TRUE(db->Run(statement, {}, error)) << error;
  }

  TestDirectory scratch_;
  std::unique_ptr<store::ObjectStore> store_;
  std::mutex mutex_;  // guards snap_, silent_ and outcomes_ (the controller reads them from its calls)
  Snapshot snap_;
  std::set<std::string> silent_;  // nodes that do not answer a sweep request
  std::map<std::pair<std::string, std::string>, Outcome> outcomes_;  // (node, uuid)
  migrations::ControllerSettings settings_;
  FakeClock clock_;
  FakeLauncher launcher_;
  FakeActions actions_;
  std::unique_ptr<migrations::Controller> controller_;  // last: goes before what it uses
};

}  // namespace migmon::testing_support

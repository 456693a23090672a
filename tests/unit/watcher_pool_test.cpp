// The watcher pool on fake sessions (no libvirt): actions for a node it does
// not watch come back through ActionDone, and Apply() starts, keeps, restarts
// and stops the right watchers.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "hypervisor/watcher_pool.h"
#include "tests/unit/recording_sink.h"

namespace migmon::testing_support {
namespace {

using hv::WatchedNode;
using hv::WatcherPool;
using hv::WatchSettings;

// A node with no domains that never goes away.
class EmptySession final : public hv::NodeSession {
 public:
  explicit EmptySession(std::function<void()> on_close) : on_close_(std::move(on_close)) {}
  ~EmptySession() override { on_close_(); }
  bool Alive() const override { return true; }
  std::vector<hv::ActiveDomain> ListActiveDomains(std::string&) override { return {}; }
  bool HasDomain(const std::string&) override { return false; }
  hv::JobQuery QueryJob(const std::string&, SteadyTime) override {
    hv::JobQuery q;
    q.status = hv::JobQuery::Status::kNoDomain;
    return q;
  }
  std::optional<JobSample> CompletedJob(const std::string&, SteadyTime) override { return std::nullopt; }
  DomainFacts Facts(const std::string&) override { return {}; }
  DomainSummary Summary(const std::string&) override { return {}; }
  std::optional<double> MaxDowntime(const std::string&) override { return std::nullopt; }
  std::optional<double> MaxSpeed(const std::string&) override { return std::nullopt; }
  bool Execute(const std::string&, const MigrationAction&, std::string& error) override {
    error = "no such job";
    return false;
  }
  hv::RunState State(const std::string&) override { return {}; }
  std::optional<uint64_t> AvailableMemory() override { return 1u << 30; }

 private:
  std::function<void()> on_close_;
};

// Counts sessions opened and open, by URI.
class Sessions {
 public:
  hv::SessionOpener Opener() {
    return [this](const std::string& uri, std::shared_ptr<hv::EventQueue>, std::string&) {
      std::lock_guard lock(mutex_);
      ++opened_[uri];
      ++open_[uri];
      return std::make_unique<EmptySession>([this, uri] {
        std::lock_guard closing(mutex_);
        --open_[uri];
      });
    };
  }
  int opened(const std::string& uri) {
    std::lock_guard lock(mutex_);
    return opened_[uri];
  }
  int open(const std::string& uri) {
    std::lock_guard lock(mutex_);
    return open_[uri];
  }

 private:
  std::mutex mutex_;
  std::map<std::string, int> opened_;
  std::map<std::string, int> open_;
};

template <typename F>
bool Eventually(F condition) {
  for (int i = 0; i < 500; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

TEST(WatcherPool, ActionForAnUnwatchedNodeComesBackThroughActionDone) {
  RecordingSink sink;
  Sessions sessions;
  WatcherPool pool(sessions.Opener());
  pool.SetSink(sink);
  pool.Apply({{"a", "fake://a"}}, WatchSettings{});
  pool.Submit("elsewhere", {MigrationAction::Kind::kAbort, ActionReason::kUserRequest, "u-1", 0, "cancelled"});
  const auto actions = sink.Copy(sink.actions);
  ASSERT_EQ(1u, actions.size()) << "refused at once, on the caller's thread";
  EXPECT_FALSE(actions[0].ok);
  EXPECT_EQ("node not watched", actions[0].error);
  EXPECT_EQ("elsewhere", actions[0].domain.node);
  EXPECT_EQ("u-1", actions[0].domain.uuid);
  EXPECT_EQ(MigrationAction::Kind::kAbort, actions[0].action.kind);
}

TEST(WatcherPool, ActionForAWatchedNodeRunsOnItsWatcher) {
  RecordingSink sink;
  Sessions sessions;
  WatcherPool pool(sessions.Opener());
  pool.SetSink(sink);
  pool.Apply({{"a", "fake://a"}}, WatchSettings{});
  ASSERT_TRUE(Eventually([&] { return sessions.opened("fake://a") == 1; }));
  pool.Submit("a", {MigrationAction::Kind::kAbort, ActionReason::kUserRequest, "u-2", 0, "cancelled"});
  ASSERT_TRUE(Eventually([&] { return sink.Copy(sink.actions).size() == 1; }));
  const auto actions = sink.Copy(sink.actions);
  EXPECT_FALSE(actions[0].ok);
  EXPECT_EQ("no active outgoing migration", actions[0].error) << "the watcher knows no such migration";
  EXPECT_EQ("a", actions[0].domain.node);
}

TEST(WatcherPool, ApplyStopsRemovedAndChangedNodesKeepsTheRestAndStartsNewOnes) {
  RecordingSink sink;
  Sessions sessions;
  WatcherPool pool(sessions.Opener());
  pool.SetSink(sink);
  pool.Apply({{"a", "fake://a"}, {"b", "fake://b"}, {"c", "fake://c"}}, WatchSettings{});
  ASSERT_TRUE(Eventually([&] {
    return sessions.open("fake://a") == 1 && sessions.open("fake://b") == 1 && sessions.open("fake://c") == 1;
  }));

  int between_calls = 0;
  pool.Apply({{"a", "fake://a"}, {"b", "fake://b2"}, {"d", "fake://d"}}, WatchSettings{}, [&] {
    ++between_calls;
    // The stopped watchers have ended by now; the new ones have not started.
    EXPECT_EQ(0, sessions.open("fake://b"));
    EXPECT_EQ(0, sessions.open("fake://c"));
    EXPECT_EQ(0, sessions.opened("fake://d"));
  });
  EXPECT_EQ(1, between_calls);
  const std::map<std::string, std::string> expected{{"a", "fake://a"}, {"b", "fake://b2"}, {"d", "fake://d"}};
  EXPECT_EQ(expected, pool.Watched());
  ASSERT_TRUE(Eventually([&] { return sessions.open("fake://b2") == 1 && sessions.open("fake://d") == 1; }));
  EXPECT_EQ(1, sessions.opened("fake://a")) << "a kept node is not reconnected";
  EXPECT_EQ(1, sessions.open("fake://a"));
  EXPECT_EQ(0, sessions.open("fake://b")) << "a node whose URI changed is reconnected";
  EXPECT_EQ(0, sessions.open("fake://c")) << "a removed node is dropped";

  pool.Submit("c", {MigrationAction::Kind::kAbort, ActionReason::kUserRequest, "u-3", 0, "cancelled"});
  const auto actions = sink.Copy(sink.actions);
  ASSERT_EQ(1u, actions.size());
  EXPECT_EQ("node not watched", actions[0].error);

  pool.StopAll();
  EXPECT_TRUE(pool.Watched().empty());
  for (const char* uri : {"fake://a", "fake://b2", "fake://d"}) EXPECT_EQ(0, sessions.open(uri)) << uri;
}

TEST(WatcherPool, KeptNodesGetTheNewSettings) {
  RecordingSink sink;
  Sessions sessions;
  WatcherPool pool(sessions.Opener());
  pool.SetSink(sink);
  WatchSettings slow;
  slow.discovery_interval = std::chrono::hours(1);
  pool.Apply({{"a", "fake://a"}}, slow);
  ASSERT_TRUE(Eventually([&] { return sink.Copy(sink.sweeps).size() == 1; }));  // the sweep at connect
  WatchSettings fast;
  fast.discovery_interval = std::chrono::milliseconds(20);
  pool.Apply({{"a", "fake://a"}}, fast);
  EXPECT_TRUE(Eventually([&] { return sink.Copy(sink.sweeps).size() >= 3; })) << "sweeps at the new interval";
  EXPECT_EQ(1, sessions.opened("fake://a"));
}

}  // namespace
}  // namespace migmon::testing_support

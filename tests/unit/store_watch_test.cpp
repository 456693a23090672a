// Watching an ObjectStore: order, filters, resume from a resourceVersion,
// 410 Expired, wake-ups at shutdown, many subscribers, concurrent writers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "store/object_store.h"
#include "tests/unit/test_directory.h"

namespace migmon::store {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kVmim = "virtualmachineinstancemigrations";

json Object(const std::string& ns, const std::string& name) {
  return {{"metadata", {{"namespace", ns}, {"name", name}}}, {"spec", {{"vmiName", name}}}};
}

bool SetPhase(json& o, const std::string& phase) {
  o["status"]["phase"] = phase;
  return true;
}

class WatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Open(ObjectStore::kDefaultEventCapacity);
  }
  void TearDown() override {
    store_.reset();
  }
  void Open(size_t capacity) {
    store_.reset();
    std::string error;
    store_ = ObjectStore::Open((directory_ / "objects.db").string(), error, capacity);
    ASSERT_TRUE(store_) << error;
  }
  Result Phase(const std::string& ns, const std::string& name, const std::string& phase) {
    return store_->Update(kVmim, ns, name, [&](json& o) { return SetPhase(o, phase); });
  }

  testing_support::TestDirectory scratch_;
  const std::filesystem::path& directory_ = scratch_.path();
  std::unique_ptr<ObjectStore> store_;
};

TEST_F(WatchTest, SeesAddedModifiedDeletedInOrderWithTheirRvs) {
  auto sub = store_->Subscribe(kVmim, std::nullopt, 0);
  const Result c = store_->Create(kVmim, Object("default", "m1"));
  const Result u = Phase("default", "m1", "Running");
  const Result d = store_->Delete(kVmim, "default", "m1");

  const auto e1 = sub->Next(1s);
  const auto e2 = sub->Next(1s);
  const auto e3 = sub->Next(1s);
  ASSERT_TRUE(e1 && e2 && e3);
  EXPECT_EQ(e1->type, EventType::kAdded);
  EXPECT_EQ(e1->rv, c.rv);
  EXPECT_EQ(e1->object, c.object);
  EXPECT_EQ(e2->type, EventType::kModified);
  EXPECT_EQ(e2->rv, u.rv);
  EXPECT_EQ(e2->object["status"]["phase"], "Running");
  EXPECT_EQ(e3->type, EventType::kDeleted);
  EXPECT_EQ(e3->rv, d.rv);
  EXPECT_EQ(e3->object, d.object);  // the final state
  EXPECT_EQ(e3->object["status"]["phase"], "Running");
  EXPECT_EQ(sub->cursor(), d.rv);
  EXPECT_EQ(EventTypeName(e1->type), "ADDED");
  EXPECT_EQ(EventTypeName(e2->type), "MODIFIED");
  EXPECT_EQ(EventTypeName(e3->type), "DELETED");
  EXPECT_EQ(EventTypeName(EventType::kExpired), "ERROR");

  EXPECT_FALSE(sub->Next(20ms));  // nothing more: a timeout, not a close
  EXPECT_FALSE(sub->closed());
}

TEST_F(WatchTest, FromNowSkipsEarlierChanges) {
  store_->Create(kVmim, Object("default", "old"));
  auto sub = store_->Subscribe(kVmim, std::nullopt, 0);
  EXPECT_EQ(sub->cursor(), store_->CurrentResourceVersion());
  const Result c = store_->Create(kVmim, Object("default", "new"));
  const auto e = sub->Next(1s);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->object["metadata"]["name"], "new");
  EXPECT_EQ(e->rv, c.rv);
}

TEST_F(WatchTest, FiltersByNamespaceAndResource) {
  auto in_a = store_->Subscribe(kVmim, std::string("a"), 0);
  store_->Create(kVmim, Object("b", "m1"));
  store_->Create("virtualmachineinstances", Object("a", "vmi"));
  const Result mine = store_->Create(kVmim, Object("a", "m2"));
  store_->Create(kVmim, Object("b", "m3"));

  const auto e = in_a->Next(1s);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->object["metadata"]["name"], "m2");
  EXPECT_EQ(e->rv, mine.rv);
  EXPECT_FALSE(in_a->Next(20ms));
  // Filtered-out events still move the cursor (safe bookmarks).
  EXPECT_EQ(in_a->cursor(), store_->CurrentResourceVersion());
}

TEST_F(WatchTest, ResumeFromAListGetsExactlyTheMissedEvents) {
  store_->Create(kVmim, Object("default", "m1"));
  const ListResult list = store_->List(kVmim, std::nullopt);
  const Result u = Phase("default", "m1", "Running");
  const Result c = store_->Create(kVmim, Object("default", "m2"));

  auto sub = store_->Subscribe(kVmim, std::nullopt, list.resource_version);
  EXPECT_FALSE(sub->gone());
  const auto e1 = sub->Next(1s);
  const auto e2 = sub->Next(1s);
  ASSERT_TRUE(e1 && e2);
  EXPECT_EQ(e1->type, EventType::kModified);
  EXPECT_EQ(e1->rv, u.rv);
  EXPECT_EQ(e2->type, EventType::kAdded);
  EXPECT_EQ(e2->rv, c.rv);
  EXPECT_FALSE(sub->Next(20ms));
}

TEST_F(WatchTest, TooOldResourceVersionIsGone) {
  Open(2);
  for (int i = 0; i < 5; ++i) store_->Create(kVmim, Object("default", "m" + std::to_string(i)));  // rv 1..5
  // The ring keeps rv 4 and 5: every change after 3 is known.
  auto old = store_->Subscribe(kVmim, std::nullopt, 2);
  EXPECT_TRUE(old->gone());
  const auto e = old->Next(1s);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, EventType::kExpired);
  EXPECT_EQ(e->object["code"], 410);
  EXPECT_EQ(e->object["reason"], "Expired");
  EXPECT_EQ(e->object["kind"], "Status");
  EXPECT_EQ(e->object["message"], "too old resource version: 2 (3)");
  EXPECT_TRUE(old->closed());
  EXPECT_FALSE(old->Next(1s));

  auto oldest_kept = store_->Subscribe(kVmim, std::nullopt, 3);
  EXPECT_FALSE(oldest_kept->gone());
  EXPECT_EQ(oldest_kept->Next(1s)->rv, 4u);
  EXPECT_EQ(oldest_kept->Next(1s)->rv, 5u);
  EXPECT_FALSE(store_->Subscribe(kVmim, std::nullopt, 5)->gone());
}

TEST_F(WatchTest, AfterReopenOnlyTheCurrentRvCanResume) {
  store_->Create(kVmim, Object("default", "m1"));
  store_->Create(kVmim, Object("default", "m2"));
  Open(ObjectStore::kDefaultEventCapacity);  // the ring is memory: it starts empty at rv 2
  EXPECT_EQ(store_->CurrentResourceVersion(), 2u);
  EXPECT_TRUE(store_->Subscribe(kVmim, std::nullopt, 1)->gone());
  auto current = store_->Subscribe(kVmim, std::nullopt, 2);
  EXPECT_FALSE(current->gone());
  const Result c = store_->Create(kVmim, Object("default", "m3"));
  EXPECT_EQ(current->Next(1s)->rv, c.rv);
}

TEST_F(WatchTest, SlowSubscriberGetsExpiredWhenTheRingPassesIt) {
  Open(3);
  auto slow = store_->Subscribe(kVmim, std::nullopt, 0);
  store_->Create(kVmim, Object("default", "m1"));
  EXPECT_EQ(slow->Next(1s)->rv, 1u);
  for (int i = 2; i <= 5; ++i) store_->Create(kVmim, Object("default", "m" + std::to_string(i)));  // evicts rv 2
  const auto e = slow->Next(1s);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, EventType::kExpired);
  EXPECT_EQ(e->object["message"], "too old resource version: 1 (2)");
  EXPECT_TRUE(slow->gone());
  EXPECT_TRUE(slow->closed());
}

TEST_F(WatchTest, UpdatesThatWriteNothingEmitNothing) {
  const Result c = store_->Create(kVmim, Object("default", "m1"));
  auto sub = store_->Subscribe(kVmim, std::nullopt, 0);
  store_->Update(kVmim, "default", "m1", [](json& o) {
    o["spec"]["vmiName"] = "m1";  // unchanged
    return true;
  });
  store_->Update(kVmim, "default", "m1", [](json& o) { return !SetPhase(o, "declined"); });
  EXPECT_EQ(store_->Update(kVmim, "default", "m1", [](json& o) { return SetPhase(o, "x"); }, c.rv + 7).code, 409);
  EXPECT_EQ(store_->Create(kVmim, Object("default", "m1")).code, 409);
  EXPECT_EQ(store_->Delete(kVmim, "default", "nope").code, 404);
  EXPECT_FALSE(sub->Next(30ms));
  EXPECT_EQ(store_->CurrentResourceVersion(), c.rv);

  const Result u = Phase("default", "m1", "Running");
  const auto e = sub->Next(1s);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, EventType::kModified);
  EXPECT_EQ(e->rv, u.rv);
}

TEST_F(WatchTest, ShutdownWakesABlockedNextPromptly) {
  auto sub = store_->Subscribe(kVmim, std::nullopt, 0);
  std::atomic<bool> returned{false};
  std::optional<Event> got;
  std::chrono::steady_clock::time_point woke;
  std::thread waiter([&] {
    got = sub->Next(10s);
    woke = std::chrono::steady_clock::now();
    returned = true;
  });
  std::this_thread::sleep_for(50ms);  // let it block
  EXPECT_FALSE(returned);
  const auto shutdown_at = std::chrono::steady_clock::now();
  store_->Shutdown();
  waiter.join();
  EXPECT_FALSE(got);
  EXPECT_TRUE(sub->closed());
  EXPECT_LT(woke - shutdown_at, 100ms);  // the wake-up itself takes microseconds
  // After shutdown every subscription is closed; writes still work.
  EXPECT_TRUE(store_->Subscribe(kVmim, std::nullopt, 0)->closed());
  EXPECT_EQ(store_->Create(kVmim, Object("default", "m1")).code, 201);
}

TEST_F(WatchTest, CloseFromAnotherThreadWakesNext) {
  auto sub = store_->Subscribe(kVmim, std::nullopt, 0);
  std::optional<Event> got;
  const auto start = std::chrono::steady_clock::now();
  std::thread waiter([&] { got = sub->Next(10s); });
  std::this_thread::sleep_for(20ms);
  sub->Close();
  waiter.join();
  EXPECT_FALSE(got);
  EXPECT_TRUE(sub->closed());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(WatchTest, TimeoutReturnsNulloptAfterRoughlyTheTimeout) {
  auto sub = store_->Subscribe(kVmim, std::nullopt, 0);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(sub->Next(50ms));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 50ms);
  EXPECT_LT(took, 2s);
  EXPECT_FALSE(sub->closed());
}

TEST_F(WatchTest, TwentyBlockedSubscribersAllSeeTheEvent) {
  constexpr int kSubscribers = 20;
  std::vector<std::unique_ptr<Subscription>> subs;
  for (int i = 0; i < kSubscribers; ++i) subs.push_back(store_->Subscribe(kVmim, std::nullopt, 0));
  std::vector<std::optional<Event>> got(kSubscribers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kSubscribers; ++i) threads.emplace_back([&, i] { got[i] = subs[i]->Next(5s); });
  std::this_thread::sleep_for(30ms);  // most are blocked in Next by now
  // Blocked subscribers must not hold up the writer.
  const auto start = std::chrono::steady_clock::now();
  const Result c = store_->Create(kVmim, Object("default", "m1"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  for (auto& t : threads) t.join();
  for (int i = 0; i < kSubscribers; ++i) {
    ASSERT_TRUE(got[i]) << "subscriber " << i;
    EXPECT_EQ(got[i]->type, EventType::kAdded);
    EXPECT_EQ(got[i]->rv, c.rv);
  }
}

TEST_F(WatchTest, ConcurrentWritersPublishInRvOrder) {
  constexpr int kWriters = 4, kEach = 50;
  auto sub = store_->Subscribe(kVmim, std::nullopt, 0);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kEach; ++i) {
        const std::string name = "w" + std::to_string(w) + "-" + std::to_string(i);
        store_->Create(kVmim, Object("default", name));
        store_->Update(kVmim, "default", name, [](json& o) { return SetPhase(o, "Running"); });
      }
    });
  }
  std::vector<Event> events;
  while (events.size() < 2 * kWriters * kEach) {
    auto e = sub->Next(5s);
    ASSERT_TRUE(e) << "after " << events.size() << " events";
    events.push_back(std::move(*e));
  }
  for (auto& t : writers) t.join();
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].rv, i + 1) << "events arrive in rv order with no gap";
    EXPECT_EQ(events[i].object["metadata"]["resourceVersion"], std::to_string(events[i].rv));
  }
  EXPECT_EQ(store_->CurrentResourceVersion(), events.size());
}

TEST_F(WatchTest, SubscriptionOutlivingTheStoreIsClosed) {
  auto sub = store_->Subscribe(kVmim, std::nullopt, 0);
  store_.reset();
  EXPECT_FALSE(sub->Next(1s));
  EXPECT_TRUE(sub->closed());
}

TEST(EventRingTest, DropsOutOfOrderPublishes) {
  auto ring = EventRing::Create(8, 10);
  auto sub = ring->Subscribe("r", std::nullopt, 0);
  ring->Publish("r", "ns", EventType::kAdded, 11, json{{"n", 1}});
  ring->Publish("r", "ns", EventType::kAdded, 11, json{{"n", 2}});
  ring->Publish("r", "ns", EventType::kAdded, 9, json{{"n", 3}});
  EXPECT_EQ(ring->CurrentResourceVersion(), 11u);
  EXPECT_EQ(sub->Next(1s)->object["n"], 1);
  EXPECT_FALSE(sub->Next(10ms));
  // A cursor ahead of the ring just waits for later events.
  auto ahead = ring->Subscribe("r", std::nullopt, 20);
  EXPECT_FALSE(ahead->gone());
  ring->Publish("r", "ns", EventType::kModified, 15, json::object());
  ring->Publish("r", "ns", EventType::kModified, 21, json::object());
  EXPECT_EQ(ahead->Next(1s)->rv, 21u);
}

}  // namespace
}  // namespace migmon::store

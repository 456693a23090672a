#include "scheduler/plan.h"

#include <gtest/gtest.h>

namespace migmon::sched {
namespace {

constexpr uint64_t GiB = 1ull << 30;

NodeRoom Node(std::string name, uint64_t available = 8 * GiB) {
  NodeRoom n;
  n.name = name;
  n.connected = true;
  n.available_memory_bytes = available;
  n.labels = {{"kubernetes.io/hostname", name}};
  return n;
}

Candidate Vm(std::string key, std::string node, uint64_t seq, int prio = 0, uint64_t mem = GiB) {
  Candidate c;
  c.key = std::move(key);
  c.sequence = seq;
  c.priority_rank = prio;
  c.vmi = VmiLocation{std::move(node), "uuid-" + c.key, mem};
  return c;
}

std::vector<std::string> Keys(const Plan& p) {
  std::vector<std::string> keys;
  for (const auto& l : p.launches) keys.push_back(l.key);
  return keys;
}

TEST(Plan, RespectsClusterAndOutboundLimitsInArrivalOrder) {
  // Four guests on node-1, two on node-2, limits 3 per cluster, 2 per node.
  std::vector<Candidate> q = {Vm("a1", "node-1", 1), Vm("b1", "node-2", 2), Vm("a2", "node-1", 3),
                              Vm("b2", "node-2", 4), Vm("a3", "node-1", 5), Vm("a4", "node-1", 6)};
  const Plan p = PlanLaunches(q, {Node("node-1"), Node("node-2"), Node("node-3")}, 0, {3, 2, 0});
  EXPECT_EQ((std::vector<std::string>{"a1", "b1", "a2"}), Keys(p));
  ASSERT_EQ(3u, p.waits.size());
  EXPECT_EQ("ClusterLimitReached", p.waits[0].reason);
}

TEST(Plan, OutboundLimitDoesNotHoldUpOtherSources) {
  std::vector<Candidate> q = {Vm("a1", "node-1", 1), Vm("a2", "node-1", 2), Vm("a3", "node-1", 3),
                              Vm("b1", "node-2", 4)};
  const Plan p = PlanLaunches(q, {Node("node-1"), Node("node-2"), Node("node-3")}, 0, {5, 2, 0});
  EXPECT_EQ((std::vector<std::string>{"a1", "a2", "b1"}), Keys(p));
  ASSERT_EQ(1u, p.waits.size());
  EXPECT_EQ("a3", p.waits[0].key);
  EXPECT_EQ("OutboundLimitReached", p.waits[0].reason);
}

TEST(Plan, MigrationsStartedElsewhereCountTowardsTheLimits) {
  NodeRoom n1 = Node("node-1");
  n1.outbound = 2;
  const Plan p = PlanLaunches({Vm("a1", "node-1", 1)}, {n1, Node("node-2")}, 2, {5, 2, 0});
  EXPECT_TRUE(p.launches.empty());
  EXPECT_EQ("OutboundLimitReached", p.waits[0].reason);
  const Plan q = PlanLaunches({Vm("b1", "node-2", 1)}, {Node("node-1"), Node("node-2")}, 5, {5, 2, 0});
  EXPECT_EQ("ClusterLimitReached", q.waits[0].reason);
}

TEST(Plan, PriorityBeforeArrival) {
  std::vector<Candidate> q = {Vm("late-low", "node-1", 1, 0), Vm("crit", "node-1", 9, 3),
                              Vm("user", "node-1", 5, 2)};
  const Plan p = PlanLaunches(q, {Node("node-1"), Node("node-2")}, 0, {2, 5, 0});
  EXPECT_EQ((std::vector<std::string>{"crit", "user"}), Keys(p));
}

TEST(Plan, TargetWithFewestInboundThenMostRoom) {
  NodeRoom n2 = Node("node-2", 4 * GiB);
  NodeRoom n3 = Node("node-3", 16 * GiB);
  n3.inbound = 1;
  NodeRoom n4 = Node("node-4", 8 * GiB);
  const Plan p = PlanLaunches({Vm("a", "node-1", 1)}, {Node("node-1"), n2, n3, n4}, 0, {5, 2, 0});
  ASSERT_EQ(1u, p.launches.size());
  EXPECT_EQ("node-4", p.launches[0].target);
  EXPECT_EQ("node-1", p.launches[0].source);
}

TEST(Plan, SpreadsArrivalsAcrossTargets) {
  const Plan p = PlanLaunches({Vm("a", "node-1", 1), Vm("b", "node-1", 2)},
                              {Node("node-1"), Node("node-2"), Node("node-3")}, 0, {5, 2, 0});
  ASSERT_EQ(2u, p.launches.size());
  EXPECT_NE(p.launches[0].target, p.launches[1].target);
}

TEST(Plan, SelectorPinsTheTarget) {
  Candidate c = Vm("a", "node-1", 1);
  c.node_selector = {{"kubernetes.io/hostname", "node-3"}};
  const Plan p = PlanLaunches({c}, {Node("node-1"), Node("node-2", 64 * GiB), Node("node-3")}, 0, {5, 2, 0});
  ASSERT_EQ(1u, p.launches.size());
  EXPECT_EQ("node-3", p.launches[0].target);
}

TEST(Plan, MemoryReserveKeepsItPendingWithAReason) {
  NodeRoom n2 = Node("node-2", 2 * GiB);
  n2.memory_reserve_bytes = 64 * GiB;
  const Plan p = PlanLaunches({Vm("a", "node-1", 1)}, {Node("node-1"), n2}, 0, {5, 2, 0});
  EXPECT_TRUE(p.launches.empty());
  ASSERT_EQ(1u, p.waits.size());
  EXPECT_EQ("NoTargetNode", p.waits[0].reason);
  EXPECT_NE(std::string::npos, p.waits[0].message.find("node-2: 2048 MiB available - 65536 MiB reserve < 1024 MiB guest"))
      << p.waits[0].message;
}

TEST(Plan, InboundLimitIsOurExtension) {
  const std::vector<Candidate> q = {Vm("a", "node-1", 1), Vm("b", "node-1", 2)};
  const Plan unlimited = PlanLaunches(q, {Node("node-1"), Node("node-2")}, 0, {5, 5, 0});
  EXPECT_EQ(2u, unlimited.launches.size());
  const Plan limited = PlanLaunches(q, {Node("node-1"), Node("node-2")}, 0, {5, 5, 1});
  EXPECT_EQ(1u, limited.launches.size());
  EXPECT_NE(std::string::npos, limited.waits[0].message.find("parallelInboundMigrationsPerNode"));
}

TEST(Plan, DisconnectedNodesAndMissingVmis) {
  NodeRoom n1 = Node("node-1");
  n1.connected = false;
  Candidate gone = Vm("gone", "node-1", 2);
  gone.vmi.reset();
  const Plan p = PlanLaunches({Vm("a", "node-1", 1), gone}, {n1, Node("node-2")}, 0, {5, 2, 0});
  EXPECT_TRUE(p.launches.empty());
  EXPECT_EQ("SourceNotConnected", p.waits[0].reason);
  ASSERT_EQ(1u, p.failures.size());
  EXPECT_EQ("gone", p.failures[0].key);
}

TEST(Plan, AMigratingVmiWaits) {
  Candidate c = Vm("a", "node-1", 1);
  c.vmi_migrating = true;
  const Plan p = PlanLaunches({c}, {Node("node-1"), Node("node-2")}, 0, {5, 2, 0});
  EXPECT_EQ("VMIMigrating", p.waits[0].reason);
}

}  // namespace
}  // namespace migmon::sched

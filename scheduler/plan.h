// Which queued migrations start now, and to which node: a pure function of
// the queue, the nodes' room and the limits. The controller calls it
// whenever something changes and carries the plan out.
//
// Rules (KubeVirt's, plus our inbound extension):
//  - Order: priority (system-critical > user-triggered > system-maintenance >
//    none), then arrival. A migration that cannot start now does not hold up
//    the ones behind it when they can (no head-of-line blocking: KubeVirt
//    users saw active work starved by pending work), so within a priority
//    migrations start in arrival order among those that have room.
//  - At most parallelMigrationsPerCluster migrations run across the managed
//    nodes and at most parallelOutboundMigrationsPerNode leave one node;
//    migrations started by other tools count toward both. With
//    parallelInboundMigrationsPerNode > 0, at most that many arrive per node.
//  - Target: a connected node other than the source, matching the
//    migration's addedNodeSelector, with room for the guest (available
//    memory minus the node's memoryReserve at least the guest's memory);
//    fewest inbound migrations first, then most room, then name.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migmon::sched {

struct NodeRoom {
  std::string name;
  bool connected = false;
  std::map<std::string, std::string> labels;
  uint64_t available_memory_bytes = 0;  // free + buffers + cached
  uint64_t memory_reserve_bytes = 0;
  uint32_t outbound = 0;  // active migrations leaving, whoever started them
  uint32_t inbound = 0;   // active migrations arriving
};

struct VmiLocation {
  std::string node;
  std::string uuid;
  uint64_t memory_bytes = 0;
};

struct Candidate {
  std::string key;  // namespace/name of the migration object
  int priority_rank = 0;
  uint64_t sequence = 0;  // arrival order
  std::optional<VmiLocation> vmi;  // where the VMI runs now; nullopt: not found
  bool vmi_migrating = false;      // the VMI already has an active migration
  std::map<std::string, std::string> node_selector;
};

struct Limits {
  uint32_t per_cluster = 5;
  uint32_t outbound_per_node = 2;
  uint32_t inbound_per_node = 0;  // 0 = unlimited
};

struct Launch {
  std::string key;
  std::string source;
  std::string target;
};

// Why a migration stays Pending: a condition's reason and message.
struct Wait {
  std::string key;
  std::string reason;   // ClusterLimitReached, OutboundLimitReached, NoTargetNode, VMIMigrating, SourceNotConnected
  std::string message;
};

// The VMI is gone: the migration cannot happen.
struct Failure {
  std::string key;
  std::string message;
};

struct Plan {
  std::vector<Launch> launches;
  std::vector<Wait> waits;
  std::vector<Failure> failures;
};

// True when every key of `selector` is in `labels` with the same value
// (spec.addedNodeSelector against a node's labels).
bool MatchesSelector(const std::map<std::string, std::string>& selector,
                     const std::map<std::string, std::string>& labels);

// running: active migrations across the managed nodes (whoever started them).
Plan PlanLaunches(std::vector<Candidate> pending, std::vector<NodeRoom> nodes, uint32_t running,
                  const Limits& limits);

}  // namespace migmon::sched

// The adapter from what the nodes show to the scheduler's input
// (scheduler/plan.h): the queue as Candidates, the managed nodes as
// NodeRooms, and the count of migrations that hold a slot. Migrations that
// libvirt reports count whoever started them; ours that were launched but
// are not reported yet count too. Pure; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "migrations/index.h"
#include "migrations/nodes.h"
#include "migrations/vmi_locator.h"
#include "scheduler/plan.h"

namespace migmon::migrations {

// "namespace/name": the scheduler's key of an entry.
std::string PlanKey(const Entry& e);

struct PlanInput {
  std::vector<sched::Candidate> candidates;
  std::map<std::string, VmiWhere> located;  // by PlanKey: where each candidate's VMI runs
  std::vector<Entry*> unknown;              // Pending, VMI not found while the inventory is incomplete
  std::vector<sched::NodeRoom> rooms;
  uint32_t running = 0;
};

// `snap` may be light (no domain lists): VMIs are found through `vmis`,
// which must be current for it. The candidates are the queued entries whose
// keys are in `queued` (the index's whole queue, or those that arrived since
// the last plan); the rooms and running count are always complete.
PlanInput MakePlanInput(const Index& index, const std::set<Key>& queued, const Snapshot& snap,
                        const VmiLocator& vmis, const std::vector<config::NodeConfig>& nodes);

// What of the nodes a plan depends on: their connections, room, migrations
// and inventories. Equal triggers with nothing else changed (no create,
// delete, launch result or finished migration) give the same plan, so the
// loop plans again only when they differ.
struct PlanTriggers {
  struct NodeState {
    std::string name;
    bool swept = false;  // connected and listed
    std::optional<uint64_t> available_memory_bytes;
    uint64_t outbound = 0;
    uint64_t inbound = 0;
    uint64_t inventory_generation = 0;
    bool operator==(const NodeState&) const = default;
  };
  std::vector<NodeState> nodes;
  std::vector<std::pair<std::string, std::string>> migrations;  // (source node, uuid)
  bool operator==(const PlanTriggers&) const = default;
};
PlanTriggers PlanTriggersOf(const Snapshot& snap);

sched::Limits LimitsOf(const config::MigrationPolicy& policy);

}  // namespace migmon::migrations

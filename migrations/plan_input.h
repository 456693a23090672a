// The adapter from what the nodes show to the scheduler's input
// (scheduler/plan.h): the queue as Candidates, the managed nodes as
// NodeRooms, and the count of migrations that hold a slot. Migrations that
// libvirt reports count whoever started them; ours that were launched but
// are not reported yet count too. Pure; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "migrations/index.h"
#include "migrations/nodes.h"
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

PlanInput MakePlanInput(const Index& index, const Snapshot& snap, const std::vector<config::NodeConfig>& nodes,
                        NamingScheme naming);

sched::Limits LimitsOf(const config::MigrationPolicy& policy);

}  // namespace migmon::migrations

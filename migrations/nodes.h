// What the nodes show, read from a tracker Snapshot as plain values: where
// a VMI runs, which migration jobs libvirt reports, which nodes answered a
// sweep. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "tracker/snapshot.h"
#include "tracker/vmi_name.h"

namespace migmon::migrations {

// Where a VMI runs now, from the nodes' inventories.
struct VmiWhere {
  std::string node;
  DomainSummary domain;
};
// During a migration the target holds a paused copy: the running one is the
// VMI. True when `candidate` is a better answer than `found` (it runs, `found`
// does not). VmiLocator finds VMIs by it.
bool IsBetterCopy(const DomainSummary& candidate, const DomainSummary& found);

// The migration job of domain `uuid` leaving `node` (any node when empty).
const MigrationView* ActiveMigration(const Snapshot& s, const std::string& node, const std::string& uuid);
const NodeView* FindNodeView(const Snapshot& s, const std::string& name);
// Every node answered at least one sweep: a VMI not found is really gone.
bool InventoryComplete(const Snapshot& s);
// `node` is connected and answered a sweep.
bool Swept(const Snapshot& s, const std::string& node);

// Why a create for `vmi` cannot be answered now: its node is known but not
// connected, or it is on no node that was listed while some node is down or
// not listed yet. nullopt when the inventory can answer.
std::optional<std::string> Unreachable(const Snapshot& s, const std::optional<VmiWhere>& where,
                                       const std::string& vmi);

}  // namespace migmon::migrations

#include "migrations/nodes.h"

#include <algorithm>

namespace migmon::migrations {
namespace {

std::string NodeState(const NodeView& n) {
  if (!n.up) return n.name + " is not connected" + (n.detail.empty() ? "" : " (" + n.detail + ")");
  return n.name + " has not been listed yet";
}

}  // namespace

bool IsBetterCopy(const DomainSummary& candidate, const DomainSummary& found) {
  return candidate.running && !found.running;
}

const MigrationView* ActiveMigration(const Snapshot& s, const std::string& node, const std::string& uuid) {
  for (const auto& m : s.migrations) {
    if (m.source.uuid == uuid && (node.empty() || m.source.node == node)) return &m;
  }
  return nullptr;
}

const NodeView* FindNodeView(const Snapshot& s, const std::string& name) {
  for (const auto& n : s.nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

bool InventoryComplete(const Snapshot& s) {
  return std::all_of(s.nodes.begin(), s.nodes.end(), [](const NodeView& n) { return n.up && n.sweeps > 0; });
}

bool Swept(const Snapshot& s, const std::string& node) {
  const NodeView* v = FindNodeView(s, node);
  return v && v->up && v->sweeps > 0;
}

std::optional<std::string> Unreachable(const Snapshot& s, const std::optional<VmiWhere>& where,
                                       const std::string& vmi) {
  if (where) {
    const NodeView* n = FindNodeView(s, where->node);
    if (!n || n->up) return std::nullopt;
    return "VMI " + vmi + " runs on a node that cannot be reached now: " + NodeState(*n) +
           "; try again once it is back";
  }
  std::string unknown;
  for (const auto& n : s.nodes) {
    if (n.up && n.sweeps > 0) continue;
    unknown += (unknown.empty() ? "" : ", ") + NodeState(n);
  }
  if (unknown.empty()) return std::nullopt;
  return "VMI " + vmi + " is on no connected node, and may run on one that cannot be reached now: " + unknown;
}

}  // namespace migmon::migrations

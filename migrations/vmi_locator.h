// Where every VMI runs, indexed from the nodes' inventories once per change
// of them, so that a create or a plan over thousands of queued objects finds
// each VMI by lookup instead of scanning every node's domain list. The
// tracker's snapshot says when an inventory changed (NodeView::
// inventory_generation): a light snapshot (without domain lists) is enough
// to know whether the index is current, and only a change costs a full copy.
// Not thread-safe: the Controller guards it with its mutex.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "migrations/nodes.h"

namespace migmon::migrations {

class VmiLocator {
 public:
  // The index matches the inventories `snap` describes (it may be light).
  bool IsCurrent(const Snapshot& snap, NamingScheme naming) const;
  // Indexes `snap`, which must carry the domain lists.
  void Rebuild(const Snapshot& snap, NamingScheme naming);
  // As FindVmi over the indexed snapshot: the running copy wins.
  std::optional<VmiWhere> Find(const VmiName& vmi) const;
  size_t size() const { return where_.size(); }

 private:
  static std::string KeyOf(const VmiName& vmi) { return vmi.name_space + "/" + vmi.name; }

  bool built_ = false;
  NamingScheme naming_ = NamingScheme::kDomain;
  std::vector<std::pair<std::string, uint64_t>> generations_;  // (node, inventory_generation), in order
  std::unordered_map<std::string, VmiWhere> where_;           // by "namespace/name"
};

}  // namespace migmon::migrations

#include "migrations/vmi_locator.h"

namespace migmon::migrations {
namespace {

std::vector<std::pair<std::string, uint64_t>> GenerationsOf(const Snapshot& snap) {
  std::vector<std::pair<std::string, uint64_t>> out;
  out.reserve(snap.nodes.size());
  for (const auto& n : snap.nodes) out.emplace_back(n.name, n.inventory_generation);
  return out;
}

}  // namespace

bool VmiLocator::IsCurrent(const Snapshot& snap, NamingScheme naming) const {
  if (!built_ || naming != naming_ || snap.nodes.size() != generations_.size()) return false;
  for (size_t i = 0; i < snap.nodes.size(); ++i) {
    if (snap.nodes[i].name != generations_[i].first ||
        snap.nodes[i].inventory_generation != generations_[i].second) {
      return false;
    }
  }
  return true;
}

void VmiLocator::Rebuild(const Snapshot& snap, NamingScheme naming) {
  where_.clear();
  for (const auto& n : snap.nodes) {
    for (const auto& d : n.domains) {
      auto [it, added] = where_.try_emplace(KeyOf(MapDomainName(d.name, naming)), VmiWhere{n.name, d});
      if (!added && IsBetterCopy(d, it->second.domain)) it->second = VmiWhere{n.name, d};
    }
  }
  generations_ = GenerationsOf(snap);
  naming_ = naming;
  built_ = true;
}

std::optional<VmiWhere> VmiLocator::Find(const VmiName& vmi) const {
  const auto it = where_.find(KeyOf(vmi));
  if (it == where_.end()) return std::nullopt;
  return it->second;
}

}  // namespace migmon::migrations

#include "migrations/retention.h"

#include <algorithm>

namespace migmon::migrations {

std::vector<Key> ExpiredEntries(const Index& index, double now, uint32_t per_vmi, double ttl_seconds) {
  std::map<std::pair<std::string, std::string>, std::vector<const Entry*>> finished_by_vmi;
  for (const Key& key : index.In(Stage::kFinished)) {
    const Entry* e = index.Find(key);
    if (!e->remove_pending) finished_by_vmi[{e->ns, e->vmi}].push_back(e);
  }
  std::vector<Key> doomed;
  for (auto& [vmi, list] : finished_by_vmi) {
    std::sort(list.begin(), list.end(),
              [](const Entry* a, const Entry* b) { return a->finished_at > b->finished_at; });
    for (size_t i = 0; i < list.size(); ++i) {
      if (i >= per_vmi || now - list[i]->finished_at >= ttl_seconds) doomed.push_back({list[i]->ns, list[i]->name});
    }
  }
  return doomed;
}

}  // namespace migmon::migrations

// The stage's index of migration objects, keyed by (namespace, name): it
// mirrors the store (the loop writes every change through) and is what
// every decision reads. It also keeps the keys of each stage (queued, in
// flight, finished) and of each VMI, so a tick walks what it works on, not
// every stored object: an entry's phase changes only through SetPhase.
// Not thread-safe: the Controller holds its mutex.
#pragma once

#include <map>
#include <array>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "migrations/entry.h"

namespace migmon::migrations {

// spec.addedNodeSelector of a migration object (string values only).
std::map<std::string, std::string> SelectorOf(const nlohmann::json& object);

// The entry for a stored object, as a restart finds it: a final one counts
// its retention from `now`; one in flight is adopted (it may still run).
std::unique_ptr<Entry> EntryFromStored(const nlohmann::json& object, uint64_t seq, double now);

enum class Stage { kQueued, kInFlight, kFinished };
Stage StageOf(Phase phase);

class Index {
 public:
  using Map = std::map<Key, std::unique_ptr<Entry>>;

  Entry* Find(const Key& key) const;
  Entry& Put(std::unique_ptr<Entry> entry);
  void Erase(const Key& key);
  // The one way an entry's phase changes (the stage sets follow it).
  void SetPhase(Entry& e, Phase phase);
  // The keys of the entries in `stage`, in key order.
  const std::set<Key>& In(Stage stage) const { return by_stage_[static_cast<size_t>(stage)]; }
  // The entry of `vmi` that is not final yet (its active migration), if any:
  // a lookup among that VMI's entries, not a scan of the index.
  const Entry* ActiveFor(const std::string& ns, const std::string& vmi) const;

  Map::iterator begin() { return entries_.begin(); }
  Map::iterator end() { return entries_.end(); }
  Map::const_iterator begin() const { return entries_.begin(); }
  Map::const_iterator end() const { return entries_.end(); }
  size_t size() const { return entries_.size(); }

 private:
  void Unlink(const Entry& e);
  std::set<Key>& StageSet(Phase phase) { return by_stage_[static_cast<size_t>(StageOf(phase))]; }

  Map entries_;
  std::array<std::set<Key>, 3> by_stage_;
  std::multimap<std::pair<std::string, std::string>, std::string> by_vmi_;  // (namespace, vmi) -> name
};

}  // namespace migmon::migrations

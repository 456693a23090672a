// The stage's index of migration objects, keyed by (namespace, name): it
// mirrors the store (the loop writes every change through) and is what
// every decision reads. Not thread-safe: the Controller holds its mutex.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "migrations/entry.h"

namespace migmon::migrations {

// spec.addedNodeSelector of a migration object (string values only).
std::map<std::string, std::string> SelectorOf(const nlohmann::json& object);

// The entry for a stored object, as a restart finds it: a final one counts
// its retention from `now`; one in flight is adopted (it may still run).
std::unique_ptr<Entry> EntryFromStored(const nlohmann::json& object, uint64_t seq, double now);

class Index {
 public:
  using Map = std::map<Key, std::unique_ptr<Entry>>;

  Entry* Find(const Key& key) const;
  Entry& Put(std::unique_ptr<Entry> entry);
  void Erase(const Key& key) { entries_.erase(key); }
  // The entry of `vmi` that is not final yet (its active migration), if any.
  const Entry* ActiveFor(const std::string& ns, const std::string& vmi) const;

  Map::iterator begin() { return entries_.begin(); }
  Map::iterator end() { return entries_.end(); }
  Map::const_iterator begin() const { return entries_.begin(); }
  Map::const_iterator end() const { return entries_.end(); }
  size_t size() const { return entries_.size(); }

 private:
  Map entries_;
};

}  // namespace migmon::migrations

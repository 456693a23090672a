// Applies the migration policy to every outgoing migration on every managed
// node, including ones started by other tools. It receives the same facts as
// the tracker, folds each sample into the migration's history (persisted
// before anything is done), asks Decide() what to do and submits actions to
// the node's watcher through the ActionPort. In observe mode it logs and
// counts each action it would take, once per migration, and touches nothing.
//
// Thread-safety: thread-safe. The lock is never held across a libvirt call
// (actions are submitted after it is released and run on the watcher's
// thread) but is held across the SQLite write, which is the point: the
// history is on disk before the action can happen.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "enforcer/figures.h"
#include "enforcer/history.h"
#include "enforcer/history_store.h"
#include "enforcer/policy.h"
#include "samples/actions.h"
#include "samples/node_facts.h"
#include "tracker/vmi_name.h"
#include "util/clock.h"

namespace migmon::enforcer {

struct EnforcerSettings {
  Policy policy;
  bool observe = false;               // enforcement.mode: observe, or --dry-run
  std::vector<std::string> exclude;   // "namespace/name" globs: only watched
  NamingScheme naming = NamingScheme::kDomain;
  std::vector<std::string> nodes;     // managed nodes: their counters start at 0
};

class Enforcer final : public NodeFactsSink {
 public:
  // clock: Unix time for the histories and every deadline (a fake one in
  // tests); it must outlive the enforcer, as must dry_runs (told of each
  // observe-mode action; may be null).
  Enforcer(EnforcerSettings settings, HistoryStore& store, ActionPort& port, const Clock& clock = RealClock(),
           DryRunSink* dry_runs = nullptr);

  void UpdateSettings(EnforcerSettings settings);
  // The enforcer's per-migration figures and action counters, of the
  // managed nodes (enforcer/metrics_collector.h renders them).
  EnforcerFigures Figures() const;

  void OutgoingSample(const DomainRef& domain, const DomainFacts& facts, const JobSample& sample,
                      MigrationMode mode, bool at_iteration_event) override;
  void OutgoingEnded(const DomainRef& domain, const EndEvidence& evidence) override;
  void ActionDone(const DomainRef& domain, const MigrationAction& action, bool ok,
                  const std::string& error) override;
  void SweepDone(const std::string& node, const NodeInventory& inventory) override;

 private:
  struct Tracked {
    MigrationHistory history;
    std::string domain_name;
    VmiName vmi;
    bool excluded = false;
    std::string persisted;  // the JSON last written, to skip writes that change nothing
  };
  using CounterKey = std::tuple<std::string, std::string, std::string, bool>;  // node, action, reason, dry_run

  Tracked& Adopt(const MigrationKey& key, const DomainRef& domain, const DomainFacts& facts,
                 const JobSample& sample, double now);  // requires mutex_
  void Persist(const MigrationKey& key, Tracked& t);     // requires mutex_
  void SeedCounters();                                   // requires mutex_

  mutable std::mutex mutex_;
  EnforcerSettings settings_;
  HistoryStore& store_;
  ActionPort& port_;
  const Clock& clock_;
  DryRunSink* const dry_runs_;
  std::map<MigrationKey, Tracked> active_;
  std::map<MigrationKey, MigrationHistory> restored_;  // from the store, until their migration shows up
  std::map<CounterKey, uint64_t> counters_;
};

}  // namespace migmon::enforcer

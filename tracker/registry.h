// Per-migration state of every managed node, built from the facts the
// watchers report, and the outcome counters. Snapshots feed the exporter.
//
// Thread-safety: all methods are thread-safe. The lock is held only while
// state is read or written, never across a libvirt call (watchers call in
// after their libvirt calls have returned).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <deque>
#include <optional>

#include "samples/node_facts.h"
#include "tracker/outcome.h"
#include "tracker/histogram.h"
#include "tracker/model.h"
#include "tracker/snapshot.h"
#include "tracker/vmi_name.h"
#include "util/clock.h"

namespace migmon {

// Bucket bounds, seconds. Migrations take seconds to hours; a poll of a few
// migrations takes well under a millisecond over a local socket.
inline const std::vector<double> kMigrationDurationBuckets = {1, 2.5, 5, 10, 30, 60, 120, 300,
                                                              600, 1200, 1800, 3600, 7200};
// A switchover pauses the guest for milliseconds to seconds (QEMU aims at the
// allowed downtime, 300 ms by default); setup takes milliseconds to seconds.
inline const std::vector<double> kDowntimeBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10};
inline const std::vector<double> kSetupBuckets = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
inline const std::vector<double> kPollDurationBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                         0.005,  0.01,    0.025,  0.05,  0.1,
                                                         0.25,   0.5,     1};

class MigrationRegistry final : public NodeFactsSink {
 public:
  // clock: when an outcome was recorded, for RecentOutcome's `since`.
  explicit MigrationRegistry(NamingScheme naming = NamingScheme::kDomain, const Clock& clock = RealClock());

  // The managed nodes, in configuration order. Kept nodes keep their
  // counters; new ones start at 0; removed ones and their migrations go.
  void SetNodes(const std::vector<std::string>& names);
  void SetNaming(NamingScheme naming);

  // with_domains: copy every node's domain list too (the API needs it; a
  // scrape does not, and on a large node it is most of the snapshot).
  Snapshot TakeSnapshot(bool with_domains = true) const;

  // How a migration of `uuid` from `node` ended, if one ended at or after
  // `since` (Unix time): an earlier migration of the same domain is not
  // this one. The last few hundred endings are kept, for the API's controller.
  std::optional<Outcome> RecentOutcome(const std::string& node, const std::string& uuid, double since) const;

  // NodeFactsSink
  void NodeConnectivity(const std::string& node, bool up, const std::string& detail) override;
  void OutgoingSample(const DomainRef& domain, const DomainFacts& facts, const JobSample& sample,
                      MigrationMode mode, bool at_iteration_event) override;
  void OutgoingEnded(const DomainRef& domain, const EndEvidence& evidence) override;
  void IncomingActive(const DomainRef& domain) override;
  void IncomingEnded(const DomainRef& domain, bool resumed) override;
  void SweepDone(const std::string& node, const NodeInventory& inventory) override;
  void PollDone(const std::string& node, std::chrono::duration<double> took) override;

 private:
  struct Tracked {
    DomainRef source;
    DomainFacts facts;
    VmiName vmi;
    MigrationMode mode = MigrationMode::kPreCopy;
    bool block_migration = false;
    std::optional<JobSample> previous;
    JobSample last;
    double started_at = 0;  // Unix seconds, set at discovery (MigrationView::started_at)
    double progress_ratio = 0;
    std::optional<double> disk_rate;
    ModelState model;        // pre-copy only
    Prediction prediction;
  };
  struct NodeState {
    std::string name;
    bool up = false;
    std::string detail = "not connected yet";
    uint64_t succeeded = 0;
    uint64_t failed = 0;
    uint64_t postcopy_failures = 0;
    HistogramData durations{kMigrationDurationBuckets};
    // Of succeeded migrations, from libvirt's completed-job statistics.
    HistogramData downtimes{kDowntimeBuckets};
    HistogramData setups{kSetupBuckets};
  };
  using Key = std::pair<std::string, std::string>;  // (node, uuid)

  NodeState* FindNode(const std::string& name);  // requires mutex_
  std::string TargetOf(const std::string& uuid, const std::string& source_node) const;  // requires mutex_

  const Clock& clock_;
  mutable std::mutex mutex_;
  NamingScheme naming_;
  std::vector<NodeState> nodes_;
  std::map<Key, Tracked> active_;
  std::map<Key, std::string> incoming_;     // (target node, uuid) -> domain name
  std::map<std::string, std::string> resumed_on_;  // uuid -> node it last resumed on after an incoming migration
  std::map<std::string, NodeInventory> inventory_;  // node -> what its last sweep found
  std::map<std::string, uint64_t> sweeps_;           // node -> sweeps completed
  std::map<std::string, uint64_t> generations_;      // node -> NodeView::inventory_generation
  struct Ended {
    std::string node;
    std::string uuid;
    Outcome outcome;
    double ended_at = 0;  // Unix time, clock_.Now()
  };
  std::deque<Ended> recent_outcomes_;  // newest last, bounded
  HistogramData poll_durations_{kPollDurationBuckets};
};

}  // namespace migmon

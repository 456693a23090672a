// A consistent copy of the tracker's state, taken under the registry's lock
// and then read without it: a scrape never waits on libvirt and never sees a
// half-updated migration. Tracker figures only: the enforcer and the API
// export their own (enforcer/metrics_collector.h, exporter/api_collector.h).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "samples/job_sample.h"
#include "samples/node_facts.h"
#include "tracker/histogram.h"
#include "tracker/model.h"
#include "tracker/vmi_name.h"

namespace migmon {

struct MigrationView {
  DomainRef source;
  VmiName vmi;
  std::string target_node;  // empty when unknown
  MigrationMode mode = MigrationMode::kPreCopy;
  bool block_migration = false;
  JobSample last;
  // When the job started, in Unix seconds: the clock's time at discovery
  // minus libvirt's elapsed then. Fixed for the job's life, so every reader
  // (stored startTimestamp, VMI objects) sees the same value at every poll.
  double started_at = 0;
  double progress_ratio = 0;
  std::optional<double> disk_rate;
  Prediction prediction;  // tracker/model.h; empty in post-copy
};

struct NodeView {
  std::string name;
  bool up = false;
  std::string detail;  // why it is down, or "connected"
  uint64_t succeeded = 0;
  uint64_t failed = 0;
  uint64_t outbound = 0;
  uint64_t inbound = 0;
  HistogramData durations;
  HistogramData downtimes;  // the guest's pause at the switchover, of succeeded migrations
  HistogramData setups;     // setup time before the first byte, of succeeded migrations
  uint64_t postcopy_failures = 0;
  uint64_t sweeps = 0;                        // sweeps completed (0: domains not listed yet)
  std::vector<DomainSummary> domains;         // every active domain, as of the last sweep (when asked for)
  uint64_t domain_count = 0;                  // domains.size(), also when the list was not copied
  // Changes when, and only when, the domain list changes: a reader that
  // indexed the list at one generation knows it is still current.
  uint64_t inventory_generation = 0;
  std::optional<uint64_t> available_memory_bytes;
};

struct Snapshot {
  std::vector<MigrationView> migrations;  // sorted by (node, namespace, name)
  std::vector<NodeView> nodes;            // in configuration order
  HistogramData poll_durations;
};

}  // namespace migmon

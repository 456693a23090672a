// A consistent copy of everything the exporter shows, taken under the
// registry's lock and then read without it: a scrape never waits on libvirt
// and never sees a half-updated migration.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "samples/job_sample.h"
#include "samples/node_facts.h"
#include "tracker/histogram.h"
#include "tracker/vmi_name.h"

namespace migmon {

struct MigrationView {
  DomainRef source;
  VmiName vmi;
  std::string target_node;  // empty when unknown
  MigrationMode mode = MigrationMode::kPreCopy;
  bool block_migration = false;
  JobSample last;
  double progress_ratio = 0;
  std::optional<double> disk_rate;
  std::optional<double> estimated_remaining_seconds;
  // Filled by the enforcer (enforcer/enforcer.h) when it judges this migration.
  std::optional<double> completion_budget_seconds;
  std::optional<double> last_progress_timestamp_seconds;
};

// Enforcer actions taken (or, dry_run, that would have been taken) on one node.
struct ActionCount {
  std::string action;  // abort, postcopy, set_downtime
  std::string reason;  // progress_timeout, completion_timeout, escalation
  bool dry_run = false;
  uint64_t count = 0;
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
  uint64_t postcopy_failures = 0;
  std::vector<ActionCount> enforcer_actions;  // filled by the enforcer
  uint64_t sweeps = 0;                        // sweeps completed (0: domains not listed yet)
  std::vector<DomainSummary> domains;         // every active domain, as of the last sweep
  std::optional<uint64_t> available_memory_bytes;
};

// The migration API's figures (present only with api.enabled).
struct ApiView {
  std::map<std::string, uint64_t> migrations_by_phase;  // every phase, from 0
  std::optional<double> oldest_pending_timestamp;       // Unix time; absent with nothing pending
  std::map<std::pair<std::string, int>, uint64_t> requests;  // (method, code)
  std::map<std::string, uint64_t> launch_failures;      // by source node, from 0
  uint64_t quarantined_objects = 0;                      // stored rows set aside at start-up
};

struct Snapshot {
  std::vector<MigrationView> migrations;  // sorted by (node, namespace, name)
  std::vector<NodeView> nodes;            // in configuration order
  HistogramData poll_durations;
  std::optional<ApiView> api;
};

}  // namespace migmon

// The interface between the hypervisor stage (which talks to libvirt) and the
// tracker stage (which keeps per-migration state). The hypervisor reports
// facts; the tracker interprets them. Nothing here names a libvirt type.
//
// Thread-safety: implementations are called from every node's watcher thread
// at once and must be thread-safe. Calls for one node come from one thread, in
// the order the facts were observed.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "samples/actions.h"
#include "samples/job_sample.h"

namespace migmon {

// How the source domain is being moved, as KubeVirt words it (migrationState.mode).
enum class MigrationMode { kPreCopy, kPostCopy, kPostCopyFailed };

// KubeVirt's words for a mode ("PostCopyFailed" is ours: KubeVirt has no word for it).
inline const char* ModeName(MigrationMode mode) {
  switch (mode) {
    case MigrationMode::kPreCopy: return "PreCopy";
    case MigrationMode::kPostCopy: return "PostCopy";
    case MigrationMode::kPostCopyFailed: return "PostCopyFailed";
  }
  return "PreCopy";
}

// Facts about the migrating domain read once, when the migration is discovered.
struct DomainFacts {
  uint64_t memory_bytes = 0;  // current memory of the guest
  bool persistent = false;
};

// What a watcher knows when an outgoing migration job is no longer active.
// The tracker turns this into an outcome (tracker/outcome.h).
struct EndEvidence {
  // Final statistics, from the job-completed event or libvirt's completed-job
  // record, when either exists (an aborted migration leaves neither on 9.0).
  std::optional<JobSample> completed;
  enum class SourceState {
    kRunning,           // still active on the source, not migrating
    kPaused,            // active but paused (e.g. failed post-copy)
    kShutOffMigrated,   // shut off with reason "migrated"
    kShutOffOther,      // shut off for another reason (destroyed, crashed ...)
    kGone,              // no such domain on the source any more (transient and stopped)
  };
  SourceState source_state = SourceState::kGone;
  bool stopped_migrated_event = false;  // lifecycle STOPPED/MIGRATED seen on the source
  std::string source_state_detail;      // libvirt's state reason in words, for the log
  // Set when migration-monitor aborted the job itself: the rule that did it.
  std::optional<std::string> aborted_by_monitor;
};

// Every method has an empty default: a sink overrides what it uses.
// One domain as a sweep saw it: what the VMI API lists and the scheduler places.
struct DomainSummary {
  std::string uuid;
  std::string name;
  uint64_t memory_bytes = 0;
  bool running = false;     // state running (not paused, not shutting down)
  bool persistent = false;
  std::string state;        // libvirt's state in words, e.g. "running", "paused"
  friend bool operator==(const DomainSummary&, const DomainSummary&) = default;
};

// Everything a full sweep of a node found.
struct NodeInventory {
  std::vector<DomainSummary> domains;        // every active domain
  std::vector<std::string> incoming_uuids;   // domains receiving a migration
  std::optional<uint64_t> available_memory_bytes;  // free + buffers + cached
};

class NodeFactsSink {
 public:
  virtual ~NodeFactsSink() = default;

  // The node's libvirt connection came up or went down; detail says why.
  virtual void NodeConnectivity(const std::string& /*node*/, bool /*up*/, const std::string& /*detail*/) {}

  // A job-stats sample of an active outgoing migration. The first sample of a
  // domain is its discovery. at_iteration_event: taken right after libvirt
  // announced a new memory pass, so it holds the level the pass started at.
  virtual void OutgoingSample(const DomainRef& /*domain*/, const DomainFacts& /*facts*/,
                              const JobSample& /*sample*/, MigrationMode /*mode*/,
                              bool /*at_iteration_event*/) {}

  // The outgoing migration job of this domain is over.
  virtual void OutgoingEnded(const DomainRef& /*domain*/, const EndEvidence& /*evidence*/) {}

  // An incoming migration is active on this node (the domain waits here for
  // its memory), or no longer is. resumed: it ended by running here.
  virtual void IncomingActive(const DomainRef& /*domain*/) {}
  virtual void IncomingEnded(const DomainRef& /*domain*/, bool /*resumed*/) {}

  // A full sweep of the node finished. Every active outgoing migration was
  // reported (OutgoingSample) before this call, and inventory.incoming_uuids
  // are exactly the incoming ones: anything else believed incoming is over.
  virtual void SweepDone(const std::string& /*node*/, const NodeInventory& /*inventory*/) {}

  // An action submitted through the ActionPort was carried out (ok) or
  // refused by libvirt (error says why).
  virtual void ActionDone(const DomainRef& /*domain*/, const MigrationAction& /*action*/, bool /*ok*/,
                          const std::string& /*error*/) {}

  // One poll of the node's active migrations took this long.
  virtual void PollDone(const std::string& /*node*/, std::chrono::duration<double> /*took*/) {}
};

}  // namespace migmon

// The watcher's view of one connection to a node: instance methods keyed by
// domain UUID, plain values in and out, events pushed into the EventQueue the
// session was opened with. The libvirt implementation is OpenLibvirtSession
// (hypervisor/session.h); tests implement it from recorded fixtures.
//
// A method on a domain the node does not know (any more) answers as libvirt
// does for a vanished domain: JobQuery kNoDomain, RunState kGone, nullopt.
//
// Thread-safety: a session is used by one watcher thread; only the event
// delivery into the queue happens on another thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hypervisor/domain_event.h"
#include "samples/actions.h"
#include "samples/job_sample.h"
#include "samples/node_facts.h"

namespace migmon::hv {

// What a job-stats query found.
struct JobQuery {
  enum class Status {
    kOk,         // sample is valid (its type may be kNone: no job)
    kIncoming,   // libvirt refuses stats for an incoming migration: this is a target
    kNoDomain,   // the domain is gone
    kError,      // anything else; error holds libvirt's message
  };
  Status status = Status::kError;
  JobSample sample;
  std::string error;
};

// A domain's run state, reduced to what migration tracking needs.
struct RunState {
  enum class Kind { kRunning, kPaused, kShutOff, kGone, kOther };
  Kind kind = Kind::kOther;
  bool paused_for_postcopy = false;
  bool postcopy_failed = false;
  bool shut_off_migrated = false;
  std::string detail;  // e.g. "paused (post-copy)"
};

// One active domain as a listing names it.
struct ActiveDomain {
  std::string uuid;
  std::string name;
};

class NodeSession {
 public:
  virtual ~NodeSession() = default;

  virtual bool Alive() const = 0;
  // Every active domain; empty with `error` set when listing failed.
  virtual std::vector<ActiveDomain> ListActiveDomains(std::string& error) = 0;
  // Whether the node knows the domain at all (active or defined).
  virtual bool HasDomain(const std::string& uuid) = 0;
  virtual JobQuery QueryJob(const std::string& uuid, SteadyTime now) = 0;
  // libvirt's record of the last completed job, kept for other readers.
  virtual std::optional<JobSample> CompletedJob(const std::string& uuid, SteadyTime now) = 0;
  virtual DomainFacts Facts(const std::string& uuid) = 0;
  virtual DomainSummary Summary(const std::string& uuid) = 0;
  // libvirt's allowed downtime for the domain's migration, seconds.
  virtual std::optional<double> MaxDowntime(const std::string& uuid) = 0;
  // The migration's speed limit, bytes/s; nullopt when unlimited.
  virtual std::optional<double> MaxSpeed(const std::string& uuid) = 0;
  // Carries out an action on the domain's migration job; false with `error`.
  virtual bool Execute(const std::string& uuid, const MigrationAction& action, std::string& error) = 0;
  virtual RunState State(const std::string& uuid) = 0;
  // The node's free + buffers + cached memory, bytes.
  virtual std::optional<uint64_t> AvailableMemory() = 0;
};

// Opens a session to `uri` whose events go into `queue`; nullptr with
// `error` set on failure. Called on the watcher's thread.
using SessionOpener = std::function<std::unique_ptr<NodeSession>(
    const std::string& uri, std::shared_ptr<EventQueue> queue, std::string& error)>;

}  // namespace migmon::hv

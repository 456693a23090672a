// One open connection to a node's libvirtd, with keepalive, a close callback
// and the domain events a watcher needs, all delivered into an EventQueue.
//
// Thread-safety: a Session is used by one watcher thread; libvirt invokes its
// callbacks on the event-loop thread, and those only touch the EventQueue.
// Destroying the Session deregisters every callback before closing.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hypervisor/domain_event.h"
#include "hypervisor/handles.h"
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

class Session {
 public:
  // Opens `uri` and registers events into `queue`. Returns nullptr and sets
  // `error` on failure.
  static std::unique_ptr<Session> Open(const std::string& uri, std::shared_ptr<EventQueue> queue,
                                       std::string& error);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  bool Alive() const;

  std::vector<DomainHandle> ListActiveDomains(std::string& error) const;
  DomainHandle LookupByUuid(const std::string& uuid) const;

  static std::string Uuid(virDomainPtr domain);
  static std::string Name(virDomainPtr domain);
  static JobQuery QueryJob(virDomainPtr domain, SteadyTime now);
  // libvirt's record of the last completed job, kept for other readers.
  static std::optional<JobSample> CompletedJob(virDomainPtr domain, SteadyTime now);
  static DomainFacts Facts(virDomainPtr domain);
  static DomainSummary Summary(virDomainPtr domain);
  // The node's free + buffers + cached memory, bytes.
  std::optional<uint64_t> AvailableMemory() const;
  // libvirt's allowed downtime for the domain's migration, seconds.
  static std::optional<double> MaxDowntime(virDomainPtr domain);
  // The migration's speed limit, bytes/s; nullopt when unlimited.
  static std::optional<double> MaxSpeed(virDomainPtr domain);
  // Carries out an action on the domain's migration job; false with `error`.
  static bool Execute(virDomainPtr domain, const MigrationAction& action, std::string& error);
  static RunState State(virDomainPtr domain);

 private:
  Session() = default;
  ConnectionHandle conn_;
  std::vector<int> callback_ids_;
  bool close_callback_registered_ = false;
};

}  // namespace migmon::hv

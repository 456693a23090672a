// Domain and connection events, converted from libvirt callbacks into plain
// values and queued for the node's watcher thread. The callbacks only enqueue:
// they run on the event-loop thread, which must never wait on libvirt.
#pragma once

#include <condition_variable>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "samples/actions.h"
#include "samples/job_sample.h"

namespace migmon::hv {

struct DomainEvent {
  enum class Kind {
    kIterationStarted,   // a new memory pass of an outgoing migration
    kJobCompleted,       // a job finished; `completed` holds its statistics
    kStarted,            // a domain was started here (booted, restored ...)
    kIncomingStarted,    // a domain was started here to receive a migration
    kIncomingResumed,    // an incoming migration finished: the domain runs here
    kStoppedMigrated,    // the domain stopped here because it migrated away
    kStoppedOther,       // the domain stopped for another reason
    kPostCopyStarted,    // the source was paused for post-copy
    kPostCopyFailed,     // post-copy failed; the guest is paused
    kConnectionClosed,   // the connection to libvirtd is gone
  };
  Kind kind;
  std::string uuid;
  std::string name;
  uint64_t iteration = 0;
  std::optional<JobSample> completed;
  std::string detail;
};

// What woke the watcher up.
struct Wakeup {
  std::deque<DomainEvent> events;
  std::deque<MigrationAction> actions;
};

// A queue the watcher waits on: events, actions to carry out, or a wake-up
// for another reason. Thread-safe.
class EventQueue {
 public:
  void Push(DomainEvent event);
  void PushAction(MigrationAction action);
  void Wake();  // makes WaitUntil return (used to stop or reconfigure)
  // Waits until `deadline`, an event, an action or a Wake(); returns what is queued.
  Wakeup WaitUntil(std::chrono::steady_clock::time_point deadline);

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  Wakeup pending_;
  bool woken_ = false;
};

}  // namespace migmon::hv

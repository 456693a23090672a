// Actions the later stages ask the hypervisor stage to carry out on a
// migration, and the port they are submitted through. The reverse direction
// of the data flow: decisions -> actions -> libvirt.
#pragma once

#include <string>

#include "samples/job_sample.h"

namespace migmon {

// Why an action was taken; bounded, used as a metric label.
enum class ActionReason { kProgressTimeout, kCompletionTimeout, kEscalation, kUserRequest };

struct MigrationAction {
  enum class Kind { kAbort, kStartPostCopy, kSetMaxDowntime };
  Kind kind = Kind::kAbort;
  ActionReason reason = ActionReason::kProgressTimeout;
  std::string uuid;
  double downtime_seconds = 0;  // kSetMaxDowntime only
  std::string message;          // why, in words: an abort's message becomes the failure reason
};

inline const char* ActionName(MigrationAction::Kind kind) {
  switch (kind) {
    case MigrationAction::Kind::kAbort: return "abort";
    case MigrationAction::Kind::kStartPostCopy: return "postcopy";
    case MigrationAction::Kind::kSetMaxDowntime: return "set_downtime";
  }
  return "abort";
}

inline const char* ReasonName(ActionReason reason) {
  switch (reason) {
    case ActionReason::kProgressTimeout: return "progress_timeout";
    case ActionReason::kCompletionTimeout: return "completion_timeout";
    case ActionReason::kEscalation: return "escalation";
    case ActionReason::kUserRequest: return "user_request";
  }
  return "progress_timeout";
}

// Implemented by whoever owns the node connections. Thread-safe; never blocks
// on libvirt: the action runs later on the node's own thread, and its result
// comes back through NodeFactsSink::ActionDone.
class ActionPort {
 public:
  virtual ~ActionPort() = default;
  virtual void Submit(const std::string& node, MigrationAction action) = 0;
};

// Told of each action the enforcer decided in observe mode, which is never
// submitted, so that a recording holds every decision (the trace recorder).
// Thread-safe; called with no lock of the enforcer's held.
class DryRunSink {
 public:
  virtual ~DryRunSink() = default;
  virtual void WouldAct(const DomainRef& domain, const MigrationAction& action) = 0;
};

}  // namespace migmon

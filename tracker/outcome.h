// How a migration ended, decided from the evidence a watcher gathered when its
// job disappeared, plus what the target side reported. Pure; thread-safe.
//
// `cause` is what later stages decide on (the lifecycle stage tells an
// abort by this monitor's enforcer from any other failure by it, never by
// the words); `reason` is the same account in words, shown to users as the
// object's failureReason and in the log.
#pragma once

#include <string>

#include "samples/node_facts.h"

namespace migmon {

enum class OutcomeCause {
  kCompleted,         // the domain runs on the target
  kAbortedByMonitor,  // this monitor aborted it (an enforcer rule or a DELETE): see `rule`
  kEndedOnSource,     // the job ended, the domain still on the source: failed or aborted elsewhere
  kFailed,            // libvirt reports a failure, or the domain stopped or vanished
};

struct Outcome {
  bool succeeded = false;
  std::string reason;  // human words: why we believe this
  OutcomeCause cause = OutcomeCause::kFailed;
  // kAbortedByMonitor: the abort's own words (the rule that fired and why).
  std::string rule;
};

// target_runs_domain: a managed node reported the domain resumed there
// after an incoming migration (the fallback when the source has no record).
Outcome DecideOutcome(const EndEvidence& evidence, bool target_runs_domain);

}  // namespace migmon

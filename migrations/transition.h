// The lifecycle's decisions, as pure functions: given an entry, what the
// nodes show about it and the watcher's account of how its job ended, what
// happens next. The loop (controller.h) gathers the inputs, applies the
// step (its writes with the write-ahead/record rules, its bookkeeping) and
// submits its actions. No threads, store, clock or libvirt here: tested by
// feeding values.
//
// Track's order of evidence, for an entry in flight (Scheduling..Running):
//  1. libvirt shows the job: Running (with its start and progress, written
//     at most once a second); a DELETE's abort is submitted once.
//  2. our migrate call returned: ok is Succeeded; a failure waits up to
//     kOutcomeGraceSeconds for the watcher's account when the job had run
//     (it knows whether this monitor aborted it: then its words are the
//     failureReason, else libvirt's error is).
//  3. the call has not returned, or was never ours and nothing is known: wait.
//  4. adopted after a restart: the watcher's account if it has one; else
//     the VMI running on the target is Succeeded; once the source's and the
//     target's inventories are in, a VMI still on the source of a migration
//     that never ran (and was not being deleted) is queued again; anything
//     else is Failed, saying where the VMI runs.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "migrations/entry.h"
#include "migrations/nodes.h"
#include "samples/actions.h"
#include "tracker/outcome.h"

namespace migmon::migrations {

inline constexpr double kProgressWriteSeconds = 1.0;
// After a failed migrate call, how long to wait for the watcher's account of
// the end (it knows whether the enforcer aborted it, and why).
inline constexpr double kOutcomeGraceSeconds = 3.0;

// What the nodes show about one entry, as plain values.
struct Observed {
  std::optional<MigrationView> job;  // libvirt's job for (source, uuid), while it runs
  std::optional<Outcome> outcome;    // the watcher's account of the end, if it has one
  std::optional<VmiWhere> where;     // where the VMI runs now
  bool source_swept = false;         // the source's inventory is in (connected, listed)
  bool target_swept = false;
  bool inventory_complete = false;   // every node's
};

// A change of the object's JSON; `phase` is the phase it leaves the object
// in, when it sets one.
struct Change {
  std::optional<Phase> phase;
  std::function<void(nlohmann::json&)> edit;
};

struct Submission {
  std::string node;
  MigrationAction action;
};

// One step of an entry. Every change is a fact (recorded: taken at once,
// written now or later); the bookkeeping flags tell the loop what else to
// update on the entry.
struct Step {
  Phase next = Phase::kPending;     // the entry's phase after the step
  std::vector<Change> records;
  std::vector<Submission> actions;
  bool seen_running = false;        // libvirt showed the job
  bool progress_written = false;    // the records carry progress: restart its timer
  bool abort_submitted = false;     // `actions` carries the DELETE's abort
  bool requeued = false;            // back to Pending, no longer adopted
  bool finished = false;            // reached Succeeded or Failed now
  bool remove = false;              // finished because of a DELETE: remove the object
  bool launch_failure = false;      // the launch failed before the job ran: count it
  std::string reason;               // finished: the failure reason (for the log)
};

// The entry ends: Succeeded, or Failed with `reason` as failureReason. A
// DELETE's entry records how the abort went and is to be removed.
Step FinishStep(const Entry& e, bool succeeded, const std::string& reason, double now);

// An entry in flight (Scheduling..Running); see the order above.
Step Track(const Entry& e, const Observed& seen, double now);

// The abort a DELETE asks of a running migration.
MigrationAction UserAbort(const Entry& e);

// The Pending object's "why it waits" condition.
Change WaitingChange(const std::string& reason, const std::string& message, double now);
// A DELETE of an entry in flight: the abort is requested.
Change AbortRequestedChange();

}  // namespace migmon::migrations

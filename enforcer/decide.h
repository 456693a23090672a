// The enforcer's decision: a pure function of (history so far, latest sample,
// mode, policy, now). No libvirt, no clock of its own: tested with recorded
// and synthetic traces and a fake clock.
//
//  - In post-copy (or failed post-copy) nothing is decided: an abort there
//    would lose the guest.
//  - completionTimeoutPerGiB: budget = completionTimeoutPerGiB x (guest memory
//    + disks a block migration copies) / 2^30 bytes, in seconds; the clock is
//    the job's elapsed time. Past it: post-copy when allowed and not yet
//    tried, else abort. (KubeVirt rounds the size up to whole decimal GB, so
//    its budget for a 64 MiB guest is a whole 1 GB's worth; ours is exact.)
//  - progressTimeout: abort when last_progress_at (enforcer/progress_rule.h)
//    is that many seconds old.
//  - escalation: when a pass was judged unproductive and a step remains,
//    raise the allowed downtime to the next step. A step is not progress.
// At most one terminal action (abort or post-copy) is returned, and then
// nothing else.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "enforcer/history.h"
#include "enforcer/policy.h"
#include "samples/actions.h"
#include "samples/job_sample.h"
#include "samples/node_facts.h"

namespace migmon::enforcer {

struct Decision {
  MigrationAction action;   // uuid left empty: the caller knows the domain
  std::string log_message;  // the numbers that led to it
};

// Seconds allowed for the whole migration, or nullopt when disabled.
std::optional<double> CompletionBudgetSeconds(const MigrationHistory& h, const Policy& p);

std::vector<Decision> Decide(const MigrationHistory& h, const JobSample& sample, MigrationMode mode,
                             const Policy& policy, double now);

}  // namespace migmon::enforcer

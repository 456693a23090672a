// The enforcer's own figures, as plain values: what enforcer/metrics_collector
// renders. Enforcer::Figures() copies them under its lock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migmon::enforcer {

struct EnforcerFigures {
  // One per migration the enforcer judges on a managed node, sorted by
  // (node, namespace, name) like the tracker's.
  struct Migration {
    std::string node;  // the source node
    std::string name_space;
    std::string name;
    std::optional<double> completion_budget_seconds;  // absent when the completion timeout is off
    double last_progress_timestamp_seconds = 0;       // Unix time
  };
  // Actions taken (or, dry_run, that would have been taken) on one node.
  struct Actions {
    std::string node;
    std::string action;  // abort, postcopy, set_downtime
    std::string reason;  // progress_timeout, completion_timeout, escalation
    bool dry_run = false;
    uint64_t count = 0;
  };
  std::vector<Migration> migrations;
  std::vector<Actions> actions;  // managed nodes in configuration order, then (action, reason, dry_run)
};

}  // namespace migmon::enforcer

// The enforcement policy in the units the decisions use.
#pragma once

#include <cstdint>
#include <vector>

namespace migmon::enforcer {

struct Policy {
  int64_t progress_timeout_seconds = 150;              // 0 disables
  int64_t completion_timeout_per_gib_seconds = 800;    // 0 disables
  bool allow_post_copy = false;
  std::vector<double> max_downtime_steps_seconds;      // empty: no escalation
  // maxDowntimeMs: escalation ends at the last step not above it.
  double max_downtime_seconds = 0.9;
};

}  // namespace migmon::enforcer

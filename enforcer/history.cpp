#include "enforcer/history.h"

#include <cmath>

namespace migmon::enforcer {

void to_json(nlohmann::json& j, const PassRecord& p) {
  j = {{"iteration", p.iteration}, {"start_level", p.start_level}, {"start_seen", p.start_seen},
       {"low", p.low}, {"productive", p.productive}};
}

void from_json(const nlohmann::json& j, PassRecord& p) {
  j.at("iteration").get_to(p.iteration);
  j.at("start_level").get_to(p.start_level);
  j.at("start_seen").get_to(p.start_seen);
  j.at("low").get_to(p.low);
  j.at("productive").get_to(p.productive);
}

void to_json(nlohmann::json& j, const MigrationHistory& h) {
  j = {{"job_started_at", h.job_started_at},
       {"discovered_at", h.discovered_at},
       {"last_progress_at", h.last_progress_at},
       {"covered_until", h.covered_until},
       {"passes", h.passes},
       {"best_start_level", h.best_start_level ? nlohmann::json(*h.best_start_level) : nlohmann::json()},
       {"memory_bytes", h.memory_bytes},
       {"disk_bytes", h.disk_bytes},
       {"downtime_steps_applied", h.downtime_steps_applied},
       {"downtime_step_due", h.downtime_step_due},
       {"terminal_action_taken", h.terminal_action_taken},
       {"postcopy_requested", h.postcopy_requested},
       {"observed_actions", h.observed_actions}};
}

void from_json(const nlohmann::json& j, MigrationHistory& h) {
  j.at("job_started_at").get_to(h.job_started_at);
  j.at("discovered_at").get_to(h.discovered_at);
  j.at("last_progress_at").get_to(h.last_progress_at);
  h.covered_until = j.value("covered_until", 0.0);
  j.at("passes").get_to(h.passes);
  if (const auto& best = j.at("best_start_level"); !best.is_null()) h.best_start_level = best.get<uint64_t>();
  j.at("memory_bytes").get_to(h.memory_bytes);
  j.at("disk_bytes").get_to(h.disk_bytes);
  j.at("downtime_steps_applied").get_to(h.downtime_steps_applied);
  j.at("downtime_step_due").get_to(h.downtime_step_due);
  j.at("terminal_action_taken").get_to(h.terminal_action_taken);
  j.at("postcopy_requested").get_to(h.postcopy_requested);
  j.at("observed_actions").get_to(h.observed_actions);
}

std::string DescribePassStarts(const MigrationHistory& h) {
  std::string out;
  for (const auto& p : h.passes) {
    if (p.iteration == 0) continue;  // the disk phase is not a memory pass
    if (!out.empty()) out += ", ";
    const double mib = static_cast<double>(p.start_level) / (1 << 20);
    out += std::to_string(static_cast<long long>(std::lround(mib)));
    if (!p.start_seen) out += "?";
  }
  return out.empty() ? "none seen" : out + " MiB";
}

}  // namespace migmon::enforcer

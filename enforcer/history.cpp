#include "enforcer/history.h"

#include <cmath>

namespace migmon::enforcer {

namespace {

std::optional<uint64_t> OptionalCount(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<uint64_t>();
}

nlohmann::json Nullable(const std::optional<uint64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

}  // namespace

const char* PassStartName(PassStart s) {
  switch (s) {
    case PassStart::kAtEvent: return "at_event";
    case PassStart::kByPoll: return "by_poll";
    case PassStart::kUnseen: break;
  }
  return "unseen";
}

void to_json(nlohmann::json& j, const PassRecord& p) {
  j = {{"iteration", p.iteration}, {"start_level", p.start_level}, {"start_upper", p.start_upper},
       {"start", PassStartName(p.start)}, {"low", p.low}, {"productive", p.productive},
       {"sent_at_first", p.sent_at_first}, {"first_seen_at", p.first_seen_at}, {"estimates", p.estimates}};
}

void from_json(const nlohmann::json& j, PassRecord& p) {
  j.at("iteration").get_to(p.iteration);
  j.at("start_level").get_to(p.start_level);
  j.at("low").get_to(p.low);
  j.at("productive").get_to(p.productive);
  if (j.contains("start")) {
    const std::string start = j.at("start").get<std::string>();
    p.start = start == "at_event" ? PassStart::kAtEvent : start == "by_poll" ? PassStart::kByPoll : PassStart::kUnseen;
    j.at("start_upper").get_to(p.start_upper);
    p.sent_at_first = j.value("sent_at_first", uint64_t{0});
    p.first_seen_at = j.value("first_seen_at", 0.0);
    p.estimates = j.value("estimates", std::vector<uint64_t>{});
  } else {
    // Written before passes had bounds: seen meant seen at its event.
    const bool seen = j.at("start_seen").get<bool>();
    p.start = seen ? PassStart::kAtEvent : PassStart::kUnseen;
    p.start_upper = seen ? p.start_level : UINT64_MAX;
  }
}

void to_json(nlohmann::json& j, const MigrationHistory& h) {
  j = {{"job_started_at", h.job_started_at},
       {"discovered_at", h.discovered_at},
       {"last_progress_at", h.last_progress_at},
       {"covered_until", h.covered_until},
       {"last_sample_at", h.last_sample_at ? nlohmann::json(*h.last_sample_at) : nlohmann::json()},
       {"last_sent", h.last_sent},
       {"transfer_bps", h.transfer_bps ? nlohmann::json(*h.transfer_bps) : nlohmann::json()},
       {"passes", h.passes},
       {"best_start_level", Nullable(h.best_start_level)},
       {"best_start_upper", Nullable(h.best_start_upper)},
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
  if (auto it = j.find("last_sample_at"); it != j.end() && !it->is_null()) h.last_sample_at = it->get<double>();
  h.last_sent = j.value("last_sent", uint64_t{0});
  if (auto it = j.find("transfer_bps"); it != j.end() && !it->is_null()) h.transfer_bps = it->get<double>();
  j.at("passes").get_to(h.passes);
  h.best_start_level = OptionalCount(j, "best_start_level");
  h.best_start_upper = OptionalCount(j, "best_start_upper");
  if (!j.contains("best_start_upper")) h.best_start_upper = h.best_start_level;  // written when seen meant exact
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
    if (p.start_upper != p.start_level) out += "+";
  }
  return out.empty() ? "none seen" : out + " MiB";
}

}  // namespace migmon::enforcer

#include "daemon/replay_report.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace migmon::app {
namespace {

using enforcer::ReplayRow;
using nlohmann::json;

constexpr double kMiB = 1024.0 * 1024.0;

std::string Fixed(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string Optional(const char* fmt, const std::optional<double>& v, double scale = 1) {
  return v ? Fixed(fmt, *v / scale) : "-";
}

json Nullable(const std::optional<double>& v) { return v ? json(*v) : json(); }

const char* RuleOf(ActionReason reason) {
  switch (reason) {
    case ActionReason::kProgressTimeout: return "the progress rule";
    case ActionReason::kCompletionTimeout: return "the completion budget";
    case ActionReason::kEscalation: return "the escalation";
    case ActionReason::kUserRequest: break;
  }
  return "a user";
}

std::string Verb(MigrationAction::Kind kind) {
  switch (kind) {
    case MigrationAction::Kind::kAbort: return "aborted";
    case MigrationAction::Kind::kStartPostCopy: return "switched to post-copy";
    case MigrationAction::Kind::kSetMaxDowntime: return "allowed more downtime";
  }
  return "aborted";
}

// The first sample whose verdict was "will not converge".
const ReplayRow* FirstWillNotConverge(const enforcer::ReplayResult& r) {
  for (const auto& row : r.rows) {
    if (row.prediction.verdict == Verdict::kWillNotConverge) return &row;
  }
  return nullptr;
}

std::string TraceEnd(const TraceRun& run) {
  if (!run.end_elapsed_seconds) return "did not complete while recorded (no completed job in the trace)";
  return std::string(run.completed.value_or(false) ? "completed" : "ended without completing") + " at " +
         Fixed("%.1f s", *run.end_elapsed_seconds);
}

}  // namespace

std::string Outcome(const ReplayReport& rep) {
  const auto& r = rep.result;
  if (!r.terminal) return "no abort or post-copy; the migration " + TraceEnd(rep.run);
  const ReplayRow& row = r.rows[*r.terminal];
  const MigrationAction& a = row.action->action;
  std::string out = Verb(a.kind) + " at " + Fixed("%.1f s", row.elapsed) + " by " + RuleOf(a.reason) + ": " + a.message;
  if (row.prediction.dirty_bps && row.prediction.transfer_bps) {
    out += "; the guest dirtied " + Fixed("%.1f MiB/s", *row.prediction.dirty_bps / kMiB) + " against " +
           Fixed("%.1f MiB/s", *row.prediction.transfer_bps / kMiB) + " sent";
  }
  return out;
}

std::string ReplayJsonl(const ReplayReport& rep, bool name_trace) {
  std::string out;
  for (const ReplayRow& row : rep.result.rows) {
    const Prediction& p = row.prediction;
    json j;
    if (name_trace) j["trace"] = rep.path;
    j["t"] = row.elapsed;
    j["iteration"] = row.iteration;
    j["remaining_bytes"] = row.remaining_bytes;
    j["eta_seconds"] = Nullable(p.eta_seconds);
    j["converges"] = p.verdict == Verdict::kUnknown ? json() : json(p.verdict == Verdict::kConverges);
    if (row.action) {
      j["action"] = {{"kind", ActionName(row.action->action.kind)}, {"reason", ReasonName(row.action->action.reason)},
                     {"message", row.action->action.message}};
    } else {
      j["action"] = nullptr;
    }
    j["verdict"] = VerdictName(p.verdict);
    j["transfer_bps"] = Nullable(p.transfer_bps);
    j["dirty_bps"] = Nullable(p.dirty_bps);
    j["ratio"] = Nullable(p.ratio);
    j["floor_bytes"] = p.floor_bytes ? json(*p.floor_bytes) : json();
    j["total_bytes"] = p.total_bytes ? json(*p.total_bytes) : json();
    j["switchover_seconds"] = Nullable(p.switchover_seconds);
    out += j.dump() + "\n";
  }
  return out;
}

std::string ReplayTable(const ReplayReport& rep) {
  std::string out = "== " + rep.path + "\n";
  char line[256];
  std::snprintf(line, sizeof line, "%8s %4s %10s %9s %9s %6s %8s %-17s %s\n", "t (s)", "pass", "left MiB", "sent MiB/s",
                "dirty/s", "ratio", "eta (s)", "verdict", "action");
  out += line;
  for (const ReplayRow& row : rep.result.rows) {
    const Prediction& p = row.prediction;
    std::string action = row.action ? std::string(ActionName(row.action->action.kind)) + "/" +
                                          ReasonName(row.action->action.reason)
                                    : "";
    std::snprintf(line, sizeof line, "%8.1f %4llu %10.1f %10s %9s %6s %8s %-17s %s\n", row.elapsed,
                  static_cast<unsigned long long>(row.iteration), static_cast<double>(row.remaining_bytes) / kMiB,
                  Optional("%.2f", p.transfer_bps, kMiB).c_str(), Optional("%.2f", p.dirty_bps, kMiB).c_str(),
                  Optional("%.2f", p.ratio).c_str(), Optional("%.1f", p.eta_seconds).c_str(), VerdictName(p.verdict),
                  action.c_str());
    out += line;
  }
  out += "result: " + Outcome(rep) + "\n";
  if (const ReplayRow* w = FirstWillNotConverge(rep.result)) {
    out += "model: will not converge from " + Fixed("%.1f s", w->elapsed) + " (pass " + std::to_string(w->iteration) + ")\n";
  }
  out += "trace: the migration " + TraceEnd(rep.run) + "\n";
  if (rep.compare) {
    for (const auto b : {enforcer::Baseline::kLowerThanPrevious, enforcer::Baseline::kRunningMinimum}) {
      const auto at = enforcer::BaselineAbort(b, rep.run.steps, rep.progress_timeout_seconds);
      std::optional<double> elapsed;
      if (at) {
        for (const auto& step : rep.run.steps) {
          if (step.t == *at) elapsed = step.sample.elapsed_seconds.value_or(step.t);
        }
      }
      out += std::string("compare: ") + enforcer::BaselineName(b) + ": " +
             (at ? "would abort at " + Fixed("%.1f s", elapsed.value_or(*at)) : std::string("never fires")) + "\n";
    }
    const auto& r = rep.result;
    out += "compare: migration-monitor: " +
           (r.terminal ? "would abort at " + Fixed("%.1f s", r.rows[*r.terminal].elapsed) : std::string("never fires")) +
           "\n";
  }
  return out;
}

std::string Explain(const ReplayReport& rep) {
  const auto& rows = rep.result.rows;
  std::string out = "== " + rep.path + "\n";
  char line[256];
  out += "passes:\n";
  std::snprintf(line, sizeof line, "  %4s %8s %11s %9s %11s %11s %8s %-17s\n", "pass", "from (s)", "start MiB",
                "length s", "sent MiB/s", "dirty MiB/s", "eta (s)", "verdict at end");
  out += line;
  for (size_t i = 0; i < rows.size();) {
    size_t j = i;
    while (j < rows.size() && rows[j].iteration == rows[i].iteration) ++j;
    const ReplayRow& first = rows[i];
    const ReplayRow& next = j < rows.size() ? rows[j] : rows[j - 1];
    const double length = next.elapsed - first.elapsed;
    const double sent = static_cast<double>(next.sent_bytes - std::min(next.sent_bytes, first.sent_bytes));
    uint64_t start = first.remaining_bytes;
    for (size_t k = i; k < j; ++k) start = std::max(start, rows[k].remaining_bytes);
    std::snprintf(line, sizeof line, "  %4llu %8.1f %11.1f %9.1f %11s %11s %8s %-17s\n",
                  static_cast<unsigned long long>(first.iteration), first.elapsed, static_cast<double>(start) / kMiB,
                  length, length > 0 ? Fixed("%.2f", sent / length / kMiB).c_str() : "-",
                  Optional("%.2f", rows[j - 1].prediction.dirty_bps, kMiB).c_str(),
                  Optional("%.1f", first.prediction.eta_seconds).c_str(), VerdictName(rows[j - 1].prediction.verdict));
    out += line;
    i = j;
  }
  out += "decisions:\n";
  bool any = false;
  for (const ReplayRow& row : rows) {
    if (!row.action) continue;
    any = true;
    out += "  " + Fixed("%.1f s", row.elapsed) + ": " + ActionName(row.action->action.kind) + " (" +
           ReasonName(row.action->action.reason) + "): " + row.action->log_message + "\n";
  }
  if (!any) out += "  none\n";
  for (const auto& d : rep.run.decisions) {
    out += std::string(d.dry_run ? "  decided by the monitor in observe mode (not carried out) at " : "  recorded by the monitor at ") +
           Fixed("%.1f s", d.t) + ": " + d.action + " (" + d.reason + "): " + d.text + "\n";
  }
  if (const ReplayRow* w = FirstWillNotConverge(rep.result)) {
    out += "model: will not converge from " + Fixed("%.1f s", w->elapsed) + " (pass " + std::to_string(w->iteration) +
           "): the guest dirties " + Optional("%.2f", w->prediction.dirty_bps, kMiB) + " MiB/s, " +
           Optional("%.0f%%", w->prediction.ratio ? std::optional<double>(*w->prediction.ratio * 100) : std::nullopt) +
           " of the " + Optional("%.2f", w->prediction.transfer_bps, kMiB) + " MiB/s sent\n";
  }
  out += "result: " + Outcome(rep) + "\n";
  out += "trace: the migration " + TraceEnd(rep.run) + "\n";
  return out;
}

}  // namespace migmon::app

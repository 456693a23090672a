#include "migrations/phase.h"

namespace migmon::migrations {

const char* PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kPending: return "Pending";
    case Phase::kScheduling: return "Scheduling";
    case Phase::kScheduled: return "Scheduled";
    case Phase::kPreparingTarget: return "PreparingTarget";
    case Phase::kTargetReady: return "TargetReady";
    case Phase::kRunning: return "Running";
    case Phase::kSucceeded: return "Succeeded";
    case Phase::kFailed: return "Failed";
  }
  return "Pending";
}

std::optional<Phase> ParsePhase(std::string_view name) {
  for (const Phase p : kAllPhases) {
    if (name == PhaseName(p)) return p;
  }
  return std::nullopt;
}

}  // namespace migmon::migrations

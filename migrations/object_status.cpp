#include "migrations/object_status.h"

#include <algorithm>
#include <cmath>

#include "samples/migration_method.h"
#include "util/time_format.h"

namespace migmon::migrations {
namespace {

nlohmann::json& State(nlohmann::json& object) { return object["status"]["migrationState"]; }

// The condition type that says why a Pending object waits.
constexpr const char* kScheduledCondition = "Scheduled";

}  // namespace

Phase PhaseOf(const nlohmann::json& object) {
  const auto status = object.find("status");
  if (status == object.end() || !status->is_object()) return Phase::kPending;
  const auto phase = status->find("phase");
  if (phase == status->end() || !phase->is_string()) return Phase::kPending;
  return ParsePhase(phase->get<std::string>()).value_or(Phase::kPending);
}

void SetPhase(nlohmann::json& object, Phase phase, double now) {
  auto& status = object["status"];
  const std::string name = PhaseName(phase);
  if (status.value("phase", "") == name) return;
  status["phase"] = name;
  status["phaseTransitionTimestamps"].push_back({{"phase", name}, {"phaseTransitionTimestamp", Rfc3339(now)}});
}

const nlohmann::json* WaitCondition(const nlohmann::json& object) {
  const auto status = object.find("status");
  if (status == object.end() || !status->is_object()) return nullptr;
  const auto conditions = status->find("conditions");
  if (conditions == status->end() || !conditions->is_array()) return nullptr;
  for (const auto& c : *conditions) {
    if (c.is_object() && c.value("type", "") == kScheduledCondition) return &c;
  }
  return nullptr;
}

bool IsWaiting(const nlohmann::json& object, const std::string& reason, const std::string& message) {
  const nlohmann::json* c = WaitCondition(object);
  return c && c->value("reason", "") == reason && c->value("message", "") == message;
}


void SetWaiting(nlohmann::json& object, const std::string& reason, const std::string& message, double now) {
  if (IsWaiting(object, reason, message)) return;
  auto& conditions = object["status"]["conditions"];
  for (auto& c : conditions) {
    if (c.value("type", "") != kScheduledCondition) continue;
    c = {{"type", kScheduledCondition}, {"status", "False"}, {"reason", reason}, {"message", message},
         {"lastTransitionTime", Rfc3339(now)}};
    return;
  }
  conditions.push_back({{"type", kScheduledCondition}, {"status", "False"}, {"reason", reason}, {"message", message},
                        {"lastTransitionTime", Rfc3339(now)}});
}

void ClearWaiting(nlohmann::json& object) {
  auto status = object.find("status");
  if (status == object.end() || !status->contains("conditions")) return;
  auto& conditions = (*status)["conditions"];
  conditions.erase(std::remove_if(conditions.begin(), conditions.end(),
                                  [](const auto& c) { return c.value("type", "") == kScheduledCondition; }),
                   conditions.end());
  if (conditions.empty()) status->erase("conditions");
}

void SetState(nlohmann::json& object, const std::string& key, nlohmann::json value) {
  State(object)[key] = std::move(value);
}

void SetAbortStatus(nlohmann::json& object, AbortStatus status) {
  switch (status) {
    case AbortStatus::kAborting: State(object)["abortStatus"] = "Aborting"; return;
    case AbortStatus::kSucceeded: State(object)["abortStatus"] = "Succeeded"; return;
    case AbortStatus::kFailed: State(object)["abortStatus"] = "Failed"; return;
  }
}

void SetProgress(nlohmann::json& object, const MigrationView& m) {
  auto num = [](auto v) { return static_cast<double>(v); };
  const JobSample& s = m.last;
  nlohmann::json p = {
      {"dataTotalBytes", s.data_total_bytes.value_or(0)},
      {"dataProcessedBytes", s.data_processed_bytes.value_or(0)},
      {"dataRemainingBytes", s.data_remaining_bytes.value_or(0)},
      {"memoryTransferRateBytesPerSecond", num(s.memory_bytes_per_second.value_or(0))},
      {"diskTransferRateBytesPerSecond", num(m.disk_rate.value_or(0))},
      {"dirtyRateBytesPerSecond", num(s.dirty_bytes_per_second.value_or(0))},
      {"iteration", s.memory_iteration.value_or(0)},
      // Rounded: every write is an event for watchers; noise is not news.
      {"progressRatio", std::round(m.progress_ratio * 1000) / 1000},
      {"elapsedSeconds", std::round(s.elapsed_seconds.value_or(0))},
  };
  // The model (tracker/model.h), rounded for the same reason.
  const Prediction& model = m.prediction;
  if (model.eta_seconds) p["estimatedRemainingSeconds"] = std::round(*model.eta_seconds);
  if (model.total_bytes) p["predictedTotalBytes"] = (*model.total_bytes >> 20) << 20;
  if (model.ratio) p["dirtyToTransferRatio"] = std::round(*model.ratio * 100) / 100;
  if (model.verdict != Verdict::kUnknown) {
    p["convergence"] = model.verdict == Verdict::kConverges ? "Converges" : "WillNotConverge";
  }
  auto& state = State(object);
  state["progress"] = std::move(p);
  state["mode"] = ModeName(m.mode);
  if (m.block_migration) state["migrationMethod"] = MigrationMethodName(true);
}

void Finish(nlohmann::json& object, bool succeeded, const std::string& failure_reason, double now) {
  auto& state = State(object);
  state["endTimestamp"] = Rfc3339(now);
  // KubeVirt's meaning: completed = ended, whichever way; failed says which.
  state["completed"] = true;
  state["failed"] = !succeeded;
  if (!succeeded && !failure_reason.empty()) state["failureReason"] = failure_reason;
  ClearWaiting(object);
  SetPhase(object, succeeded ? Phase::kSucceeded : Phase::kFailed, now);
}

}  // namespace migmon::migrations

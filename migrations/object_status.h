// The status of a VirtualMachineInstanceMigration object, shaped as KubeVirt
// shapes it: pure edits of the object's JSON, which the lifecycle stage
// makes and stores. The phase is written here and read back (at start-up)
// only through PhaseOf. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "migrations/phase.h"
#include "tracker/snapshot.h"

namespace migmon::migrations {

// The stored phase; Pending when the object has none (or one this version does not know).
Phase PhaseOf(const nlohmann::json& object);

// Moves to `phase` (recording the transition time); no-op if already there.
void SetPhase(nlohmann::json& object, Phase phase, double now);
// The Pending object's "Scheduled" condition: why it waits.
// Unchanged (and its lastTransitionTime kept) when it already says the same.
void SetWaiting(nlohmann::json& object, const std::string& reason, const std::string& message, double now);
// The object's Scheduled condition (why a Pending object waits), if any.
const nlohmann::json* WaitCondition(const nlohmann::json& object);
// True when the object's Scheduled condition already says `reason` and `message`.
bool IsWaiting(const nlohmann::json& object, const std::string& reason, const std::string& message);
void ClearWaiting(nlohmann::json& object);
// status.migrationState.<key> = value
void SetState(nlohmann::json& object, const std::string& key, nlohmann::json value);
// Live progress from the watcher's figures: status.migrationState.progress and mode.
void SetProgress(nlohmann::json& object, const MigrationView& view);
// KubeVirt's migrationState.abortStatus: a DELETE asked to abort (Aborting),
// then whether the abort held (Succeeded: the migration did not complete).
enum class AbortStatus { kAborting, kSucceeded, kFailed };
void SetAbortStatus(nlohmann::json& object, AbortStatus status);
// Succeeded or Failed, with endTimestamp, completed/failed and the reason.
void Finish(nlohmann::json& object, bool succeeded, const std::string& failure_reason, double now);

}  // namespace migmon::migrations

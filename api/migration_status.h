// The status of a VirtualMachineInstanceMigration object, as KubeVirt shapes
// it, written by the controller. Pure functions over the object's JSON.
//
// Phases, in order, and what each means here:
//   Pending          queued; a "Scheduled" condition (status False) says why it waits
//   Scheduling       picked by the planner: it holds a slot of the parallel limits
//   Scheduled        source and target nodes chosen
//   PreparingTarget  the launcher inspects the domain (disks to copy, persistence)
//   TargetReady      the migrate call is about to be issued
//   Running          libvirt reports the migration job on the source
//   Succeeded        the domain runs on the target
//   Failed           it does not (failed, aborted, or the VMI went away)
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tracker/snapshot.h"

namespace migmon::api {

inline constexpr const char* kPhases[] = {"Pending",     "Scheduling", "Scheduled", "PreparingTarget",
                                          "TargetReady", "Running",    "Succeeded", "Failed"};

bool IsFinalPhase(const std::string& phase);
std::string PhaseOf(const nlohmann::json& object);

// Moves to `phase` (recording the transition time); no-op if already there.
void SetPhase(nlohmann::json& object, const std::string& phase, double now);
// The Pending object's "Scheduled" condition: why it waits.
void SetWaiting(nlohmann::json& object, const std::string& reason, const std::string& message, double now);
void ClearWaiting(nlohmann::json& object);
// status.migrationState.<key> = value
void SetState(nlohmann::json& object, const std::string& key, nlohmann::json value);
// Live progress from the watcher's figures: status.migrationState.progress and mode.
void SetProgress(nlohmann::json& object, const MigrationView& view);
// Succeeded or Failed, with endTimestamp, completed/failed and the reason.
void Finish(nlohmann::json& object, bool succeeded, const std::string& failure_reason, double now);

}  // namespace migmon::api

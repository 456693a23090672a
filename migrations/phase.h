// The phases of a VirtualMachineInstanceMigration, with KubeVirt's names,
// and their one spelling. What each means here:
//   Pending          queued; a "Scheduled" condition (status False) says why it waits
//   Scheduling       picked by the planner: it holds a slot of the parallel limits
//   Scheduled        source and target nodes chosen
//   PreparingTarget  the launcher inspects the domain (disks to copy, persistence)
//   TargetReady      the migrate call is about to be issued
//   Running          libvirt reports the migration job on the source
//   Succeeded        the domain runs on the target
//   Failed           it does not (failed, aborted, or the VMI went away)
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace migmon::migrations {

enum class Phase { kPending, kScheduling, kScheduled, kPreparingTarget, kTargetReady, kRunning, kSucceeded, kFailed };

// Every phase, in order.
inline constexpr Phase kAllPhases[] = {Phase::kPending,         Phase::kScheduling, Phase::kScheduled,
                                       Phase::kPreparingTarget, Phase::kTargetReady, Phase::kRunning,
                                       Phase::kSucceeded,       Phase::kFailed};

// KubeVirt's name, e.g. "PreparingTarget".
const char* PhaseName(Phase phase);
// The phase named `name`; nullopt for any other text.
std::optional<Phase> ParsePhase(std::string_view name);

inline bool IsFinal(Phase p) { return p == Phase::kSucceeded || p == Phase::kFailed; }
// Launched and not ended: Scheduling to Running.
inline bool IsInFlight(Phase p) { return p != Phase::kPending && !IsFinal(p); }

}  // namespace migmon::migrations

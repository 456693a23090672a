// One migration object as the lifecycle stage tracks it: the object as
// stored, its typed phase (kept in step with the object by the loop: never
// re-read from the JSON after loading) and what the loop knows beyond it.
// A plain value; the Controller guards it with its mutex.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "migrations/object_text.h"
#include "migrations/phase.h"
#include "samples/launch.h"

namespace migmon::migrations {

// The annotations migration-monitor writes. On a migration object: the
// domain a launch moves, so a restart finds the job again.
inline constexpr const char* kUuidAnnotation = "migration-monitor.io/domain-uuid";
// On a VMI object (api/vmi_objects): the libvirt domain it stands for.
inline constexpr const char* kDomainAnnotation = "migration-monitor.io/domain";

struct Entry {
  std::string ns;
  std::string name;
  ObjectText object;  // as last stored (or, while `unsaved`, as it is to be stored)
  Phase phase = Phase::kPending;  // changed only through Index::SetPhase
  uint64_t seq = 0;  // arrival order
  std::string vmi;
  int priority = 0;
  std::map<std::string, std::string> selector;  // spec.addedNodeSelector
  double created_at = 0;
  double finished_at = 0;
  // Launch and tracking.
  std::string source;
  std::string target;
  std::string uuid;
  bool launching = false;  // our migrate call has not returned
  bool adopted = false;    // started before a restart: no call of ours to wait for
  bool seen_running = false;
  bool abort_requested = false;
  bool abort_submitted = false;
  std::optional<LaunchResult> result;
  double result_at = 0;
  double launched_at = 0;  // outcomes recorded before this belong to other migrations
  double progress_written_at = 0;
  // The store lags the entry: `object` is to be written again (see controller.h).
  bool unsaved = false;
  bool remove_pending = false;  // finished and to be removed, but the removal failed
  bool write_failing = false;   // the last write failed (logged once per run of failures)
  double retry_at = 0;
};

using Key = std::pair<std::string, std::string>;  // (namespace, name)

}  // namespace migmon::migrations

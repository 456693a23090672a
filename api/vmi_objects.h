// VirtualMachineInstance objects for the read-only VMI API, built from a
// snapshot: every domain on every managed node, once (the paused copy a
// migration target holds is not a second VMI), with status.nodeName and,
// while it migrates, status.migrationState. The same snapshot gives the
// same objects whenever they are built (a watch compares them): a
// migration's startTimestamp is the start the tracker fixed when it
// discovered the job, not derived from the time of the call. Pure;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tracker/snapshot.h"
#include "tracker/vmi_name.h"

namespace migmon::api {

std::vector<nlohmann::json> VmiObjects(const Snapshot& snapshot, NamingScheme naming,
                                       const std::optional<std::string>& name_space);

}  // namespace migmon::api

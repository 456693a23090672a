// The launch request for one placement: the source's and target's
// configuration and the migration policy, as the LaunchPort takes them.
// Pure; thread-safe.
#pragma once

#include <string>

#include "config/config.h"
#include "samples/launch.h"

namespace migmon::migrations {

// QEMU's own allowed downtime, where a launch starts unless maxDowntimeMs is lower.
inline constexpr uint32_t kQemuDefaultDowntimeMs = 300;

LaunchRequest BuildLaunchRequest(const config::NodeConfig& source, const config::NodeConfig& target,
                                 const config::MigrationPolicy& policy, const std::string& uuid);

}  // namespace migmon::migrations

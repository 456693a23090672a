// `migration-monitor record URI DOMAIN [-o FILE] [--poll DURATION]`: writes
// the trace of the next (or current) outgoing migration of DOMAIN on the
// node at URI, the same format the monitor keeps (docs/traces.md), through
// the monitor's own watcher. Exits 0 when the migration ended, 1 when the
// node cannot be watched, 2 on a usage error; SIGINT stops early and keeps
// what was written.
#pragma once

#include <string>
#include <vector>

namespace migmon::app {

int RunRecord(const std::vector<std::string>& args);  // args[0] is "record"

}  // namespace migmon::app

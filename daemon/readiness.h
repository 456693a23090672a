// What /readyz answers, decided from plain facts so it is tested without a
// server: ready once the stored state (enforcer histories, migration
// objects) is loaded and at least one node is connected. Before loading has
// finished a client must not be sent here: its objects are not served yet.
//
// Thread-safety: pure function.
#pragma once

#include <vector>

#include "exporter/http_server.h"
#include "tracker/snapshot.h"

namespace migmon::app {

exporter::Readiness DecideReadiness(bool loaded, const std::vector<NodeView>& nodes);

}  // namespace migmon::app

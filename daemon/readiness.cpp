#include "daemon/readiness.h"

namespace migmon::app {

exporter::Readiness DecideReadiness(bool loaded, const std::vector<NodeView>& nodes) {
  exporter::Readiness r;
  bool connected = false;
  for (const auto& node : nodes) {
    connected = connected || node.up;
    r.body += node.name + (node.up ? " up " : " down ") + node.detail + "\n";
  }
  r.ready = loaded && connected;
  const char* headline = r.ready   ? "ready\n"
                         : !loaded ? "not ready: loading the stored state\n"
                                   : "not ready: no node connected\n";
  r.body = headline + r.body;
  return r;
}

}  // namespace migmon::app

#include "api/vmi_objects.h"

#include <map>

#include "api/k8s/resources.h"
#include "migrations/entry.h"
#include "migrations/nodes.h"
#include "samples/migration_method.h"
#include "util/time_format.h"

namespace migmon::api {

std::vector<nlohmann::json> VmiObjects(const Snapshot& s, NamingScheme naming,
                                       const std::optional<std::string>& name_space) {
  struct Found {
    const NodeView* node;
    const DomainSummary* domain;
  };
  std::map<std::pair<std::string, std::string>, Found> vmis;  // sorted by (namespace, name)
  for (const auto& n : s.nodes) {
    for (const auto& d : n.domains) {
      const VmiName vmi = MapDomainName(d.name, naming);
      if (name_space && vmi.name_space != *name_space) continue;
      auto [it, inserted] = vmis.try_emplace({vmi.name_space, vmi.name}, Found{&n, &d});
      if (!inserted && d.running && !it->second.domain->running) it->second = Found{&n, &d};
    }
  }
  std::vector<nlohmann::json> out;
  for (const auto& [key, f] : vmis) {
    nlohmann::json vmi = {
        {"apiVersion", std::string(api::k8s::kGroupVersion)},
        {"kind", "VirtualMachineInstance"},
        {"metadata", {{"name", key.second}, {"namespace", key.first}, {"uid", f.domain->uuid},
                      {"annotations", {{migrations::kDomainAnnotation, f.domain->name}}}}},
        {"spec", {{"domain", {{"memory", {{"guest", std::to_string(f.domain->memory_bytes >> 20) + "Mi"}}}}}}},
        {"status", {{"phase", "Running"}, {"nodeName", f.node->name},
                    {"conditions", {{{"type", "Ready"}, {"status", f.domain->running ? "True" : "False"},
                                     {"reason", f.domain->state}}}}}},
    };
    for (const auto& m : s.migrations) {
      if (m.source.uuid != f.domain->uuid) continue;
      nlohmann::json state = {{"sourceNode", m.source.node},
                              {"mode", ModeName(m.mode)},
                              {"migrationMethod", MigrationMethodName(m.block_migration)},
                              {"completed", false},
                              {"startTimestamp", Rfc3339(m.started_at)}};
      if (!m.target_node.empty()) state["targetNode"] = m.target_node;
      vmi["status"]["migrationState"] = std::move(state);
    }
    out.push_back(std::move(vmi));
  }
  return out;
}

}  // namespace migmon::api

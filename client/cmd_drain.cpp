// drain: move every running VMI off a node, one system-critical migration
// each, and with --wait follow them all to the end.
#include <algorithm>
#include <chrono>
#include <tuple>
#include <vector>

#include "client/commands.h"
#include "client/migration_view.h"
#include "client/paths.h"

namespace migmon::client {
namespace {

struct Vmi {
  std::string ns;
  std::string name;
};

std::string StringAt(const nlohmann::json& object, const char* outer, const char* inner) {
  if (!object.is_object() || !object.contains(outer) || !object[outer].is_object()) return "";
  const auto& o = object[outer];
  const auto it = o.find(inner);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

nlohmann::json Items(const nlohmann::json& list) {
  if (list.is_object() && list.contains("items") && list["items"].is_array()) return list["items"];
  return nlohmann::json::array();
}

// The VMIs running on `node`, by namespace and name. The VMI API has no
// field selector for status.nodeName, so the filter is ours.
std::vector<Vmi> RunningOn(const nlohmann::json& vmi_list, const std::string& node) {
  std::vector<Vmi> vmis;
  for (const auto& vmi : Items(vmi_list)) {
    if (StringAt(vmi, "status", "nodeName") != node || StringAt(vmi, "status", "phase") != "Running") continue;
    vmis.push_back({StringAt(vmi, "metadata", "namespace"), StringAt(vmi, "metadata", "name")});
  }
  std::sort(vmis.begin(), vmis.end(), [](const Vmi& a, const Vmi& b) {
    return std::tie(a.ns, a.name) < std::tie(b.ns, b.name);
  });
  return vmis;
}

// "ns/vmi" -> "ns/migration" for every migration not yet finished: a VMI
// already on its way off the node needs no second migration (the server
// would refuse it anyway).
std::map<std::string, std::string> ActiveMigrations(const nlohmann::json& migration_list) {
  std::map<std::string, std::string> active;
  for (const auto& object : Items(migration_list)) {
    const MigrationView view = ViewOf(object);
    if (!IsFinalPhase(view.phase)) active[view.ns + "/" + view.vmi] = KeyOf(view);
  }
  return active;
}

}  // namespace

int RunDrain(Context& ctx, const ClientArgs& args) {
  const std::string& node = args.target;
  const std::vector<Vmi> vmis = RunningOn(ctx.api.Get(AllVmisPath()), node);
  if (vmis.empty()) {
    ctx.out << "no running VMIs on node " << node << "\n";
    return 0;
  }
  const auto active = ActiveMigrations(ctx.api.Get(MigrationsPath(std::nullopt)));
  std::set<std::string> keys;
  bool create_failed = false;
  for (const Vmi& vmi : vmis) {
    const std::string vmi_key = vmi.ns + "/" + vmi.name;
    if (const auto it = active.find(vmi_key); it != active.end()) {
      ctx.out << "VMI " << vmi_key << " is already migrating: " << it->second << "\n";
      keys.insert(it->second);
      continue;
    }
    const nlohmann::json body = {
        {"apiVersion", kApiVersion},
        {"kind", kMigrationKind},
        {"metadata", {{"generateName", vmi.name + "-drain-"}, {"namespace", vmi.ns}}},
        {"spec", {{"vmiName", vmi.name}, {"priority", "system-critical"}}},
    };
    try {
      const MigrationView created = ViewOf(ctx.api.Post(MigrationsPath(vmi.ns), body));
      ctx.out << "migration " << KeyOf(created) << " created for VMI " << vmi_key << "\n";
      keys.insert(KeyOf(created));
    } catch (const ApiError& e) {
      // One refused VMI must not strand the others on the node.
      if (e.kind() == ApiError::Kind::kUnreachable) throw;
      ctx.err << "error: VMI " << vmi_key << ": " << e.what() << "\n";
      create_failed = true;
    }
  }
  ctx.out << std::flush;
  if (!args.wait) return create_failed ? 1 : 0;

  Presenter presenter(ctx.out, {.terminal = ctx.terminal, .width = ctx.width, .with_namespace = true});
  const auto outcomes = AwaitMigrations(ctx, {MigrationsPath(std::nullopt), std::nullopt, std::nullopt}, keys, presenter);
  size_t succeeded = 0;
  std::vector<std::string> unsuccessful;
  for (const auto& [key, outcome] : outcomes) {
    if (outcome == Outcome::kSucceeded) {
      ++succeeded;
    } else {
      unsuccessful.push_back(key + (outcome == Outcome::kDeleted ? " (deleted)" : " (failed)"));
    }
  }
  ctx.out << "drain " << node << ": " << succeeded << " of " << keys.size() << " migrations succeeded";
  if (!unsuccessful.empty()) {
    ctx.out << "; not:";
    for (const auto& u : unsuccessful) ctx.out << " " << u;
  }
  ctx.out << "\n";
  return create_failed || succeeded != keys.size() ? 1 : 0;
}

}  // namespace migmon::client

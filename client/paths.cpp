#include "client/paths.h"

#include "client/server_url.h"

namespace migmon::client {
namespace {
constexpr const char* kGroupVersionPath = "/apis/kubevirt.io/v1";
}  // namespace

std::string MigrationsPath(const std::optional<std::string>& ns) {
  if (!ns) return std::string(kGroupVersionPath) + "/virtualmachineinstancemigrations";
  return std::string(kGroupVersionPath) + "/namespaces/" + PercentEncode(*ns) + "/virtualmachineinstancemigrations";
}

std::string MigrationPath(const std::string& ns, const std::string& name) {
  return MigrationsPath(ns) + "/" + PercentEncode(name);
}

std::string AllVmisPath() { return std::string(kGroupVersionPath) + "/virtualmachineinstances"; }

}  // namespace migmon::client

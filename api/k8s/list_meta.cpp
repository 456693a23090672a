#include "api/k8s/list_meta.h"

namespace migmon::api::k8s {

nlohmann::json ListMetaJson(const ListMeta& meta) {
  nlohmann::json out = nlohmann::json::object();
  if (!meta.resource_version.empty()) out["resourceVersion"] = meta.resource_version;
  if (!meta.continue_token.empty()) out["continue"] = meta.continue_token;
  if (meta.remaining) out["remainingItemCount"] = *meta.remaining;
  return out;
}

}  // namespace migmon::api::k8s

#include "api/k8s/openapi.h"

#include <cstdint>
#include <cstdio>

#include "api/k8s/openapi_builders.h"
#include "api/k8s/resources.h"

namespace migmon::api::k8s {

namespace {

nlohmann::json BuildKubevirtV1Document() {
  nlohmann::json schemas = detail::MetaSchemas();
  schemas.update(detail::KubevirtSchemas());
  return {{"openapi", "3.0.0"},
          {"info", {{"title", "Kubernetes"}, {"version", kKubernetesGitVersion}}},
          {"paths", detail::KubevirtPaths()},
          {"components", {{"schemas", std::move(schemas)}}}};
}

const nlohmann::json& KubevirtV1Document() {
  // Built on first use; C++ guarantees a thread-safe one-time initialization.
  static const nlohmann::json document = BuildKubevirtV1Document();
  return document;
}

}  // namespace

std::string OpenApiHash(const nlohmann::json& document) {
  // FNV-1a: tiny, deterministic, and good enough for a cache key; nothing
  // relies on it being hard to forge.
  uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : document.dump()) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llX", static_cast<unsigned long long>(hash));
  return text;
}

nlohmann::json OpenApiV3Index() {
  // Only documents the monitor can serve are listed: kubectl fetches the
  // one of the group-version it works with and nothing else.
  const std::string path(kKubevirtV1OpenApiPath);
  return {{"paths",
           {{path, {{"serverRelativeURL", "/openapi/v3/" + path + "?hash=" + OpenApiHash(KubevirtV1Document())}}}}}};
}

std::optional<nlohmann::json> OpenApiV3Document(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path == kKubevirtV1OpenApiPath) return KubevirtV1Document();
  return std::nullopt;
}

}  // namespace migmon::api::k8s

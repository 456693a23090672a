#include "api/k8s/discovery.h"

#include <string>
#include <vector>

#include "api/k8s/media_type.h"
#include "api/k8s/resources.h"

namespace migmon::api::k8s {

namespace {

// One served resource, described once and rendered in both discovery forms.
struct Resource {
  std::string_view plural;
  std::string_view singular;
  std::string_view kind;
  std::vector<std::string_view> verbs;
  std::vector<std::string_view> short_names;
  std::vector<std::string_view> categories;
};

const std::vector<Resource>& KubevirtResources() {
  // Verbs are what the monitor serves, not KubeVirt's full set: kubectl
  // checks them (e.g. `kubectl get` needs list, `-w` needs watch).
  static const std::vector<Resource> resources = {
      {kMigrationPlural, kMigrationSingular, kMigrationKind,
       {"create", "delete", "get", "list", "watch"}, {"vmim", "vmims"}, {"all"}},
      {kVmiPlural, kVmiSingular, kVmiKind, {"get", "list", "watch"}, {"vmi", "vmis"}, {"all"}},
  };
  return resources;
}

nlohmann::json Strings(const std::vector<std::string_view>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (std::string_view item : items) out.push_back(item);
  return out;
}

nlohmann::json GroupVersionForDiscovery() {
  return {{"groupVersion", kGroupVersion}, {"version", kVersion}};
}

nlohmann::json GroupBody() {
  return {{"name", kGroup},
          {"versions", nlohmann::json::array({GroupVersionForDiscovery()})},
          {"preferredVersion", GroupVersionForDiscovery()}};
}

nlohmann::json DiscoveryList(nlohmann::json items) {
  return {{"kind", "APIGroupDiscoveryList"},
          {"apiVersion", "apidiscovery.k8s.io/v2"},
          {"metadata", nlohmann::json::object()},
          {"items", std::move(items)}};
}

}  // namespace

nlohmann::json VersionInfo() {
  // major/minor/gitVersion are what clients read; the build fields are
  // required by kubectl's decoder but not interpreted, so they name the
  // release being followed rather than any real build of ours.
  return {{"major", "1"},
          {"minor", "32"},
          {"gitVersion", kKubernetesGitVersion},
          {"gitCommit", "migration-monitor"},
          {"gitTreeState", "clean"},
          {"buildDate", "2025-03-11T00:00:00Z"},
          {"goVersion", "go1.23.6"},
          {"compiler", "gc"},
          {"platform", "linux/amd64"}};
}

nlohmann::json CoreApiVersions(std::string_view server_address) {
  // No versions: the monitor serves nothing of the core group, and kubectl
  // 1.32's legacy discovery fails ("received empty response for: v1", exit
  // 1 from api-resources) when /api names v1 and /api/v1 lists no resources.
  return {{"kind", "APIVersions"},
          {"versions", nlohmann::json::array()},
          {"serverAddressByClientCIDRs", {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address}}}}};
}

nlohmann::json CoreV1Resources() {
  // The core group must exist for clients to start, but the monitor serves
  // none of its resources.
  return {{"kind", "APIResourceList"},
          {"apiVersion", "v1"},
          {"groupVersion", "v1"},
          {"resources", nlohmann::json::array()}};
}

nlohmann::json ApiGroupList() {
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", nlohmann::json::array({GroupBody()})}};
}

nlohmann::json KubevirtApiGroup() {
  nlohmann::json group = GroupBody();
  group["kind"] = "APIGroup";
  group["apiVersion"] = "v1";
  return group;
}

nlohmann::json KubevirtV1Resources() {
  nlohmann::json resources = nlohmann::json::array();
  for (const Resource& r : KubevirtResources()) {
    resources.push_back({{"name", r.plural},
                         {"singularName", r.singular},
                         {"namespaced", true},
                         {"kind", r.kind},
                         {"verbs", Strings(r.verbs)},
                         {"shortNames", Strings(r.short_names)},
                         {"categories", Strings(r.categories)}});
  }
  return {{"kind", "APIResourceList"},
          {"apiVersion", "v1"},
          {"groupVersion", kGroupVersion},
          {"resources", std::move(resources)}};
}

bool AcceptsAggregatedDiscovery(std::string_view accept) {
  return AcceptsWith(accept, "application/json",
                     {{"g", "apidiscovery.k8s.io"}, {"v", "v2"}, {"as", "APIGroupDiscoveryList"}});
}

nlohmann::json AggregatedCoreDiscovery() {
  // The legacy group has an empty name; an empty resource list still tells
  // the client that v1 exists.
  nlohmann::json core = {
      {"metadata", {{"creationTimestamp", nullptr}}},
      {"versions", {{{"version", "v1"}, {"resources", nlohmann::json::array()}, {"freshness", "Current"}}}}};
  return DiscoveryList(nlohmann::json::array({core}));
}

nlohmann::json AggregatedApisDiscovery() {
  nlohmann::json resources = nlohmann::json::array();
  for (const Resource& r : KubevirtResources()) {
    resources.push_back({{"resource", r.plural},
                         {"responseKind", {{"group", kGroup}, {"version", kVersion}, {"kind", r.kind}}},
                         {"scope", "Namespaced"},
                         {"singularResource", r.singular},
                         {"verbs", Strings(r.verbs)},
                         {"shortNames", Strings(r.short_names)},
                         {"categories", Strings(r.categories)}});
  }
  nlohmann::json group = {
      {"metadata", {{"name", kGroup}, {"creationTimestamp", nullptr}}},
      {"versions", {{{"version", kVersion}, {"resources", std::move(resources)}, {"freshness", "Current"}}}}};
  return DiscoveryList(nlohmann::json::array({group}));
}

}  // namespace migmon::api::k8s

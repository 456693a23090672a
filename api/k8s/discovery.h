// Discovery documents: what kubectl reads before anything else to learn that
// this server speaks Kubernetes v1.32 and serves KubeVirt's migration and VMI
// resources under kubevirt.io/v1.
//
// Contract (paths are the caller's routing; each function is that path's body):
//   /version               VersionInfo()          kubectl's dispatcher picks its
//                                                 client binary from gitVersion
//   /api                   CoreApiVersions(addr)  APIVersions, no versions
//   /api/v1                CoreV1Resources()      APIResourceList, no resources
//                                                 (not reached by discovery)
//   /apis                  ApiGroupList()         APIGroupList: kubevirt.io
//   /apis/kubevirt.io      KubevirtApiGroup()     APIGroup
//   /apis/kubevirt.io/v1   KubevirtV1Resources()  APIResourceList
// All are served as Content-Type: application/json. kubectl 1.32 first asks
// /api and /apis for aggregated discovery (see kAggregatedDiscoveryAccept);
// a plain application/json answer makes it fall back to the per-group
// documents above, so serving aggregated discovery is optional. When the
// caller does serve it (AcceptsAggregatedDiscovery), the answer must carry
// Content-Type kAggregatedDiscoveryContentType or kubectl will not read it.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace migmon::api::k8s {

nlohmann::json VersionInfo();
// `server_address` ("host:port") is reported for every client CIDR.
nlohmann::json CoreApiVersions(std::string_view server_address);
nlohmann::json CoreV1Resources();
nlohmann::json ApiGroupList();
nlohmann::json KubevirtApiGroup();
nlohmann::json KubevirtV1Resources();

// The Accept header kubectl 1.32 sends to /api and /apis (observed).
inline constexpr std::string_view kAggregatedDiscoveryAccept =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
inline constexpr std::string_view kAggregatedDiscoveryContentType =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

// True when `accept` lists the apidiscovery.k8s.io/v2 APIGroupDiscoveryList
// media type (parameters in any order, spaces ignored).
bool AcceptsAggregatedDiscovery(std::string_view accept);
// apidiscovery.k8s.io/v2 APIGroupDiscoveryList bodies for /api and /apis.
nlohmann::json AggregatedCoreDiscovery();
nlohmann::json AggregatedApisDiscovery();

}  // namespace migmon::api::k8s

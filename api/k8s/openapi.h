// OpenAPI v3 documents, the schema source of `kubectl explain vmim` and of
// kubectl's decision to leave validation to the server.
//
// Contract:
//   GET /openapi/v3                        -> OpenApiV3Index()
//   GET /openapi/v3/<path>[?hash=...]      -> OpenApiV3Document(<path>), or 404
//                                             when it returns nullopt
// Both as Content-Type: application/json. The index points at each document
// with "?hash=<OpenApiHash(document)>"; clients treat the hash as an opaque
// cache key, so a document whose hash is unchanged may be served with
// "Cache-Control: public, immutable" (kube-apiserver does), and any hash
// (or none) in the request may be answered with the current document.
//
// The kubevirt.io/v1 document describes VirtualMachineInstanceMigration and
// VirtualMachineInstance (and their List, Spec, Status, MigrationState and
// the apimachinery meta types they use), each kind's schema tagged with
// x-kubernetes-group-version-kind. Its paths declare the `fieldValidation`
// query parameter on a PATCH of a migration: kubectl 1.32 looks for exactly
// that to decide that the server validates fields itself, and only then
// sends ?fieldValidation=Strict instead of validating client-side against
// /openapi/v2 (which the monitor does not serve). A PATCH request itself is
// answered 405 by the monitor (MethodNotAllowed in status.h).
//
// Thread-safety: pure functions (the document is built once, then copied).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace migmon::api::k8s {

// The document key of the kubevirt.io/v1 schema ("apis/kubevirt.io/v1").
inline constexpr std::string_view kKubevirtV1OpenApiPath = "apis/kubevirt.io/v1";

nlohmann::json OpenApiV3Index();
// `path` is the part after "/openapi/v3/", without query ("apis/kubevirt.io/v1").
std::optional<nlohmann::json> OpenApiV3Document(std::string_view path);
// 16 uppercase hex digits (FNV-1a, 64 bit) of the document's compact dump:
// stable across runs and builds for the same document.
std::string OpenApiHash(const nlohmann::json& document);

}  // namespace migmon::api::k8s

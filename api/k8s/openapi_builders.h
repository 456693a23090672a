// Internal to api/k8s: terse constructors for OpenAPI 3.0 schema objects in
// the shape kube-apiserver publishes (references to other schemas wrapped in
// allOf so that a description can sit beside them).
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace migmon::api::k8s::detail {

inline constexpr std::string_view kMetaPrefix = "io.k8s.apimachinery.pkg.apis.meta.v1.";
inline constexpr std::string_view kKubevirtPrefix = "io.kubevirt.v1.";

// {"$ref": "#/components/schemas/<name>"}
nlohmann::json Ref(std::string_view schema_name);
// A property holding another schema, with its own description.
nlohmann::json RefField(std::string_view schema_name, std::string_view description);
nlohmann::json StringField(std::string_view description);
nlohmann::json EnumField(std::string_view description, const std::vector<std::string_view>& values);
nlohmann::json IntegerField(std::string_view description, std::string_view format = "int64");
nlohmann::json NumberField(std::string_view description);
nlohmann::json BoolField(std::string_view description);
nlohmann::json TimeField(std::string_view description);
nlohmann::json StringMapField(std::string_view description);
nlohmann::json ArrayField(nlohmann::json items, std::string_view description);

using Properties = std::vector<std::pair<std::string_view, nlohmann::json>>;
nlohmann::json ObjectSchema(std::string_view description, Properties properties,
                            const std::vector<std::string_view>& required = {});
// x-kubernetes-group-version-kind for a kubevirt.io/v1 kind.
nlohmann::json KubevirtGvk(std::string_view kind);

// components.schemas entries, by full schema name.
nlohmann::json MetaSchemas();      // openapi_meta.cpp
nlohmann::json KubevirtSchemas();  // openapi_kubevirt.cpp
// The paths object of the kubevirt.io/v1 document (openapi_paths.cpp).
nlohmann::json KubevirtPaths();

}  // namespace migmon::api::k8s::detail

// The paths of the kubevirt.io/v1 OpenAPI document: the operations the
// monitor serves, each tagged with x-kubernetes-action and the kind it acts
// on, as kube-apiserver tags them. kubectl reads the PATCH operation's
// parameters to learn that the server validates fields (see openapi.h).
#include <string>

#include "api/k8s/openapi_builders.h"
#include "api/k8s/resources.h"

namespace migmon::api::k8s::detail {

namespace {

std::string Kv(std::string_view name) { return std::string(kKubevirtPrefix) + std::string(name); }

nlohmann::json Param(std::string_view name, std::string_view in, std::string_view description,
                     std::string_view type = "string") {
  nlohmann::json param = {{"name", name}, {"in", in}, {"description", description}, {"schema", {{"type", type}}}};
  if (in == "path") param["required"] = true;
  param["uniqueItems"] = true;
  return param;
}

nlohmann::json PathParams(bool named) {
  nlohmann::json params = nlohmann::json::array();
  if (named) params.push_back(Param("name", "path", "Name of the object."));
  params.push_back(Param("namespace", "path", "Namespace of the objects."));
  return params;
}

nlohmann::json ListParams() {
  return nlohmann::json::array({
      Param("labelSelector", "query", "Only objects whose labels match this selector."),
      Param("fieldSelector", "query", "Only objects whose metadata.name or metadata.namespace match."),
      Param("limit", "query", "At most this many objects per answer.", "integer"),
      Param("continue", "query", "Token of the next page, from the previous answer's metadata.continue."),
      Param("resourceVersion", "query", "List or watch from this version of the collection."),
      Param("timeoutSeconds", "query", "Close a watch after this many seconds.", "integer"),
      Param("watch", "query", "Stream changes instead of listing.", "boolean"),
      Param("allowWatchBookmarks", "query", "Allow BOOKMARK events in a watch.", "boolean"),
  });
}

// The parameters of writes; `fieldValidation` is the one kubectl looks for.
nlohmann::json WriteParams() {
  return nlohmann::json::array({
      Param("dryRun", "query", "When \"All\", validate the request and answer as if done, storing nothing."),
      Param("fieldManager", "query", "Name of the client making the change."),
      Param("fieldValidation", "query",
            "How to treat unknown fields in the body: Ignore drops them; Warn drops them and returns a Warning "
            "header for each (the default); Strict rejects the request."),
  });
}

nlohmann::json JsonContent(std::string_view schema_name) {
  nlohmann::json content = nlohmann::json::object();
  for (const char* type : {"application/json", "application/yaml"}) content[type] = {{"schema", Ref(schema_name)}};
  return content;
}

nlohmann::json Operation(std::string_view action, std::string_view kind, std::string_view operation_id,
                         std::string_view description, nlohmann::json params, std::string_view response_schema,
                         const char* code = "200") {
  nlohmann::json op = {
      {"description", description},
      {"operationId", operation_id},
      {"tags", {"kubevirtIo_v1"}},
      {"responses",
       {{code, {{"description", "OK"}, {"content", JsonContent(response_schema)}}},
        {"401", {{"description", "Unauthorized"}}}}},
      {"x-kubernetes-action", action},
      {"x-kubernetes-group-version-kind", KubevirtGvk(kind).front()},
  };
  if (!params.empty()) op["parameters"] = std::move(params);
  return op;
}

void AddResource(nlohmann::json& paths, std::string_view plural, std::string_view kind, std::string_view list_kind,
                 bool writable) {
  const std::string base = "/apis/kubevirt.io/v1/";
  const std::string kind_name(kind);
  const std::string item_schema = Kv(kind), list_schema = Kv(list_kind);
  const std::string collection = base + "namespaces/{namespace}/" + std::string(plural);
  const std::string item = collection + "/{name}";

  nlohmann::json& col = paths[collection];
  col["parameters"] = PathParams(false);
  col["get"] = Operation("list", kind, "listKubevirtIoV1Namespaced" + kind_name,
                         "List or watch the " + kind_name + "s of a namespace.", ListParams(), list_schema);
  if (writable) {
    col["post"] = Operation("post", kind, "createKubevirtIoV1Namespaced" + kind_name, "Create a " + kind_name + ".",
                            WriteParams(), item_schema, "201");
    col["post"]["requestBody"] = {{"required", true}, {"content", JsonContent(item_schema)}};
  }

  nlohmann::json& one = paths[item];
  one["parameters"] = PathParams(true);
  one["get"] = Operation("get", kind, "readKubevirtIoV1Namespaced" + kind_name, "Read a " + kind_name + ".",
                         nlohmann::json::array(), item_schema);
  if (writable) {
    one["delete"] = Operation("delete", kind, "deleteKubevirtIoV1Namespaced" + kind_name,
                              "Delete a " + kind_name + ".", nlohmann::json::array(),
                              std::string(kMetaPrefix) + "Status");
    // Declared so that kubectl leaves field validation to the server (see
    // openapi.h); the monitor itself answers a PATCH with 405.
    one["patch"] = Operation("patch", kind, "patchKubevirtIoV1Namespaced" + kind_name,
                             "Not supported by the monitor: answered with 405 MethodNotAllowed.", WriteParams(),
                             item_schema);
    nlohmann::json patch_content = nlohmann::json::object();
    for (const char* type : {"application/json-patch+json", "application/merge-patch+json",
                             "application/apply-patch+yaml"}) {
      patch_content[type] = {{"schema", {{"type", "object"}}}};
    }
    one["patch"]["requestBody"] = {{"required", true}, {"content", std::move(patch_content)}};
  }

  paths[base + std::string(plural)]["get"] =
      Operation("list", kind, "list" + kind_name + "ForAllNamespaces",
                "List or watch the " + kind_name + "s of every namespace.", ListParams(), list_schema);
}

}  // namespace

nlohmann::json KubevirtPaths() {
  nlohmann::json paths = nlohmann::json::object();
  AddResource(paths, kMigrationPlural, kMigrationKind, kMigrationListKind, true);
  AddResource(paths, kVmiPlural, kVmiKind, kVmiListKind, false);
  return paths;
}

}  // namespace migmon::api::k8s::detail

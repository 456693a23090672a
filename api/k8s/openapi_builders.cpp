#include "api/k8s/openapi_builders.h"

#include <string>

#include "api/k8s/resources.h"

namespace migmon::api::k8s::detail {

nlohmann::json Ref(std::string_view schema_name) {
  return {{"$ref", "#/components/schemas/" + std::string(schema_name)}};
}

nlohmann::json RefField(std::string_view schema_name, std::string_view description) {
  // OpenAPI 3.0 ignores siblings of a bare $ref; allOf keeps the description.
  return {{"allOf", nlohmann::json::array({Ref(schema_name)})}, {"description", description}};
}

nlohmann::json NumberField(std::string_view description) {
  return {{"type", "number"}, {"format", "double"}, {"description", std::string(description)}};
}

nlohmann::json StringField(std::string_view description) {
  return {{"type", "string"}, {"description", description}};
}

nlohmann::json EnumField(std::string_view description, const std::vector<std::string_view>& values) {
  nlohmann::json field = StringField(description);
  field["enum"] = values;
  return field;
}

nlohmann::json IntegerField(std::string_view description, std::string_view format) {
  return {{"type", "integer"}, {"format", format}, {"description", description}};
}

nlohmann::json BoolField(std::string_view description) {
  return {{"type", "boolean"}, {"description", description}};
}

nlohmann::json TimeField(std::string_view description) {
  return RefField(std::string(kMetaPrefix) + "Time", description);
}

nlohmann::json StringMapField(std::string_view description) {
  return {{"type", "object"},
          {"additionalProperties", {{"type", "string"}, {"default", ""}}},
          {"description", description}};
}

nlohmann::json ArrayField(nlohmann::json items, std::string_view description) {
  return {{"type", "array"}, {"items", std::move(items)}, {"description", description}};
}

nlohmann::json ObjectSchema(std::string_view description, Properties properties,
                            const std::vector<std::string_view>& required) {
  nlohmann::json schema = {{"type", "object"}, {"description", description}};
  schema["properties"] = nlohmann::json::object();
  for (auto& [name, property] : properties) schema["properties"][std::string(name)] = std::move(property);
  if (!required.empty()) schema["required"] = required;
  return schema;
}

nlohmann::json KubevirtGvk(std::string_view kind) {
  return nlohmann::json::array({{{"group", kGroup}, {"version", kVersion}, {"kind", kind}}});
}

}  // namespace migmon::api::k8s::detail

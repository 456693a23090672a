// ValidateMigration, PriorityRank (vmim.h).
#include "api/k8s/vmim.h"

#include <iterator>
#include <set>

#include "api/k8s/name_rules.h"
#include "api/k8s/resources.h"
#include "api/k8s/status.h"

namespace migmon::api::k8s {

namespace {

using nlohmann::json;

// kube-apiserver's limit on the total size of an object's annotations.
constexpr int64_t kAnnotationsMaxBytes = 256 * 1024;

const std::set<std::string>& KnownTopLevel() {
  static const std::set<std::string> keys = {"apiVersion", "kind", "metadata", "spec", "status"};
  return keys;
}

const std::set<std::string>& KnownMetadata() {
  static const std::set<std::string> keys = {
      "annotations",     "creationTimestamp", "deletionGracePeriodSeconds", "deletionTimestamp", "finalizers",
      "generateName",    "generation",        "labels",                     "managedFields",     "name",
      "namespace",       "ownerReferences",   "resourceVersion",            "selfLink",          "uid"};
  return keys;
}

const std::set<std::string>& KnownSpec() {
  static const std::set<std::string> keys = {"addedNodeSelector", "priority", "vmiName"};
  return keys;
}

// The JSON type as CRD validation names it.
std::string JsonType(const json& value) {
  switch (value.type()) {
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer";
    case json::value_t::number_float:
      return "number";
    default:
      return value.type_name();  // "null", "boolean", "string", "array", "object"
  }
}

// "<parent>[<key>]": field.Path's notation for a map entry, unambiguous for
// keys holding dots and slashes.
std::string KeyPath(std::string_view parent, std::string_view key) {
  return std::string(parent) + "[" + std::string(key) + "]";
}

bool Absent(const json& object, const char* key) { return !object.contains(key) || object[key].is_null(); }

// Unknown keys of `object` (if it is one) as paths under `prefix`.
void CollectUnknown(const json& object, const std::set<std::string>& known, const std::string& prefix,
                    std::vector<std::string>& out) {
  if (!object.is_object()) return;
  for (const auto& [key, value] : object.items()) {
    if (!known.contains(key)) out.push_back(prefix + key);
  }
}

// The string at object[key], or a TypeInvalid cause; nullopt when absent or wrong.
std::optional<std::string> OptionalString(const json& object, const char* key, const std::string& field,
                                          std::vector<Cause>& causes) {
  if (Absent(object, key)) return std::nullopt;
  if (!object[key].is_string()) {
    causes.push_back(TypeInvalidCause(field, JsonType(object[key]), "string"));
    return std::nullopt;
  }
  return object[key].get<std::string>();
}

// A map of strings whose keys are qualified names (labels, annotations,
// node selectors); `check_values` also holds each value to label-value syntax.
void CheckStringMap(const json& object, const char* key, const std::string& field, bool check_values,
                    std::vector<Cause>& causes) {
  if (Absent(object, key)) return;
  const json& map = object[key];
  if (!map.is_object()) {
    causes.push_back(TypeInvalidCause(field, JsonType(map), "object"));
    return;
  }
  for (const auto& [name, value] : map.items()) {
    for (const std::string& msg : QualifiedNameErrors(name)) causes.push_back(InvalidCause(field, name, msg));
    if (!value.is_string()) {
      causes.push_back(TypeInvalidCause(KeyPath(field, name), JsonType(value), "string"));
      continue;
    }
    if (!check_values) continue;
    const std::string text = value.get<std::string>();
    for (const std::string& msg : LabelValueErrors(text)) causes.push_back(InvalidCause(field, text, msg));
  }
}

void CheckAnnotationsSize(const json& metadata, std::vector<Cause>& causes) {
  if (Absent(metadata, "annotations") || !metadata["annotations"].is_object()) return;
  int64_t total = 0;
  for (const auto& [name, value] : metadata["annotations"].items()) {
    total += static_cast<int64_t>(name.size());
    if (value.is_string()) total += static_cast<int64_t>(value.get_ref<const std::string&>().size());
  }
  if (total > kAnnotationsMaxBytes) causes.push_back(TooLongCause("metadata.annotations", kAnnotationsMaxBytes));
}

// Checks metadata; returns the name to report in an Invalid Status.
std::string CheckMetadata(const json& obj, std::vector<Cause>& causes) {
  if (!Absent(obj, "metadata") && !obj["metadata"].is_object()) {
    causes.push_back(TypeInvalidCause("metadata", JsonType(obj["metadata"]), "object"));
    return {};
  }
  const json metadata = Absent(obj, "metadata") ? json::object() : obj["metadata"];
  auto name = OptionalString(metadata, "name", "metadata.name", causes);
  auto generate_name = OptionalString(metadata, "generateName", "metadata.generateName", causes);
  if (generate_name && !generate_name->empty()) {
    for (const std::string& msg : Dns1123SubdomainErrors(*generate_name, /*prefix=*/true)) {
      causes.push_back(InvalidCause("metadata.generateName", *generate_name, msg));
    }
  }
  if (name && !name->empty()) {
    for (const std::string& msg : Dns1123SubdomainErrors(*name)) {
      causes.push_back(InvalidCause("metadata.name", *name, msg));
    }
  } else if (!metadata.contains("name") || metadata["name"].is_null() || metadata["name"].is_string()) {
    // A wrongly typed name already has its cause; only a missing one lands here.
    if (!generate_name || generate_name->empty()) {
      causes.push_back(RequiredCause("metadata.name", "name or generateName is required"));
    }
  }
  if (auto ns = OptionalString(metadata, "namespace", "metadata.namespace", causes); ns && !ns->empty()) {
    for (const std::string& msg : Dns1123LabelErrors(*ns)) {
      causes.push_back(InvalidCause("metadata.namespace", *ns, msg));
    }
  }
  CheckStringMap(metadata, "labels", "metadata.labels", /*check_values=*/true, causes);
  CheckStringMap(metadata, "annotations", "metadata.annotations", /*check_values=*/false, causes);
  CheckAnnotationsSize(metadata, causes);
  if (name && !name->empty()) return *name;
  return generate_name.value_or("");
}

void CheckSpec(const json& obj, std::vector<Cause>& causes) {
  if (Absent(obj, "spec")) {
    causes.push_back(RequiredCause("spec"));
    return;
  }
  const json& spec = obj["spec"];
  if (!spec.is_object()) {
    causes.push_back(TypeInvalidCause("spec", JsonType(spec), "object"));
    return;
  }
  if (Absent(spec, "vmiName")) {
    causes.push_back(RequiredCause("spec.vmiName"));
  } else if (auto vmi = OptionalString(spec, "vmiName", "spec.vmiName", causes); vmi && vmi->empty()) {
    causes.push_back(RequiredCause("spec.vmiName"));
  }
  if (auto priority = OptionalString(spec, "priority", "spec.priority", causes);
      priority && PriorityRank(*priority) == 0) {
    causes.push_back(NotSupportedCause("spec.priority", *priority, MigrationPriorities()));
  }
  CheckStringMap(spec, "addedNodeSelector", "spec.addedNodeSelector", /*check_values=*/true, causes);
}

// 400 for an object that is not a VirtualMachineInstanceMigration of a
// version we serve. Absent fields default to the URL's, as in kube-apiserver.
std::optional<json> CheckTypeMeta(const json& obj) {
  auto text = [](const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); };
  if (obj.contains("apiVersion")) {
    const std::string version = text(obj["apiVersion"]);
    if (!obj["apiVersion"].is_string() || (version != kGroupVersion && version != kLegacyGroupVersion)) {
      return BadRequest("the API version in the data (" + version + ") does not match the expected API version (" +
                        std::string(kGroupVersion) + ")");
    }
  }
  if (obj.contains("kind")) {
    const std::string kind = text(obj["kind"]);
    if (!obj["kind"].is_string() || kind != kMigrationKind) {
      return BadRequest("the kind in the data (" + kind + ") does not match the expected kind (" +
                        std::string(kMigrationKind) + ")");
    }
  }
  return std::nullopt;
}

}  // namespace

const std::vector<std::string_view>& MigrationPriorities() {
  static const std::vector<std::string_view> priorities = {"system-critical", "user-triggered", "system-maintenance"};
  return priorities;
}

int PriorityRank(std::string_view priority) {
  if (priority == "system-critical") return 3;
  if (priority == "user-triggered") return 2;
  if (priority == "system-maintenance") return 1;
  return 0;
}

void PruneNulls(json& obj) {
  auto prune = [](json& map) {
    if (!map.is_object()) return;
    for (auto it = map.begin(); it != map.end();) it = it->is_null() ? map.erase(it) : std::next(it);
  };
  prune(obj);
  if (!obj.is_object()) return;
  for (const char* member : {"metadata", "spec"}) {
    if (const auto it = obj.find(member); it != obj.end()) prune(*it);
  }
}

void AddVmiNameLabel(json& obj) {
  json& metadata = obj["metadata"];
  if (!metadata.contains("labels") || !metadata["labels"].is_object()) metadata["labels"] = json::object();
  metadata["labels"][std::string(kVmiNameLabel)] = obj["spec"]["vmiName"];
}

std::string WarningHeaderValue(std::string_view text) { return "299 - " + GoQuote(text); }

MigrationValidation ValidateMigration(const json& obj, std::string_view url_namespace, bool strict_fields) {
  MigrationValidation result;
  if (!obj.is_object()) {
    result.error = BadRequest("the request body must be one object, got " + JsonType(obj));
    return result;
  }
  if (auto error = CheckTypeMeta(obj)) {
    result.error = std::move(error);
    return result;
  }

  std::vector<std::string> unknown;
  CollectUnknown(obj, KnownTopLevel(), "", unknown);
  if (obj.contains("metadata")) CollectUnknown(obj["metadata"], KnownMetadata(), "metadata.", unknown);
  if (obj.contains("spec")) CollectUnknown(obj["spec"], KnownSpec(), "spec.", unknown);
  std::vector<std::string> texts;
  for (const std::string& path : unknown) texts.push_back("unknown field " + GoQuote(path));
  if (strict_fields && !texts.empty()) {
    // kube-apiserver's wording for fieldValidation=Strict: a decoding error (400), not a 422.
    std::string version = obj.value("apiVersion", std::string(kGroupVersion));
    version = version.substr(version.find('/') + 1);
    std::string message = std::string(kMigrationKind) + " in version " + GoQuote(version) +
                          " cannot be handled as a " + std::string(kMigrationKind) + ": strict decoding error: ";
    for (size_t i = 0; i < texts.size(); ++i) message += (i > 0 ? ", " : "") + texts[i];
    result.error = BadRequest(std::move(message));
    return result;
  }
  if (!strict_fields) result.warnings = std::move(texts);

  // Checked before the fields, as kube-apiserver does, and a 400 there too.
  if (obj.contains("metadata") && obj["metadata"].is_object() && obj["metadata"].contains("namespace")) {
    const json& ns = obj["metadata"]["namespace"];
    if (ns.is_string() && !ns.get_ref<const std::string&>().empty() && !url_namespace.empty() &&
        ns.get_ref<const std::string&>() != url_namespace) {
      result.error =
          BadRequest("the namespace of the provided object does not match the namespace sent on the request");
      return result;
    }
  }

  std::vector<Cause> causes;
  const std::string name = CheckMetadata(obj, causes);
  CheckSpec(obj, causes);
  if (!causes.empty()) result.error = Invalid(kMigrationKind, name, causes);
  return result;
}

}  // namespace migmon::api::k8s

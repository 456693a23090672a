// Decoding and validating the body of a VirtualMachineInstanceMigration
// create request, answering the way kube-apiserver and KubeVirt's admission
// webhook would.
//
// Contract:
// - ParseBody decodes application/json, application/yaml, application/x-yaml
//   and text/yaml (parameters such as charset ignored; an empty Content-Type
//   is read as JSON, as kube-apiserver does). YAML follows the YAML 1.2 core
//   schema: quoted scalars stay strings; plain ones become null, booleans
//   (true/false), integers (decimal, 0x, 0o) or floats when spelled so, else
//   strings (so `yes` is the string "yes"). Failures come back as a Status
//   (status.h): 415 for another media type, 400 for an empty body, a syntax
//   error (naming line and column), a body that is not one object, several
//   YAML documents, or a value JSON cannot hold (.inf, .nan, a non-scalar key).
// - ValidateMigration checks a decoded object in this order, stopping at the
//   first group that fails: body shape / apiVersion / kind (400); unknown
//   fields when strict (400, kube-apiserver's "strict decoding error");
//   metadata.namespace against the URL's (400); then every field check at
//   once (422 Invalid, one cause per problem, field paths like
//   "spec.vmiName"). Absent apiVersion/kind are taken from the URL, as
//   kube-apiserver does. Unknown fields are looked for at the top level, in
//   metadata and in spec (status is the server's and is ignored); without
//   strict they come back as warnings for Warning headers.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace migmon::api::k8s {

struct ParsedBody {
  nlohmann::json object;                // the decoded body when error is empty
  std::optional<nlohmann::json> error;  // a Status to send instead
};
ParsedBody ParseBody(std::string_view body, std::string_view content_type);

struct MigrationValidation {
  std::optional<nlohmann::json> error;  // a Status (400 or 422) when the request must fail
  // Texts such as: unknown field "spec.x". With fieldValidation=Warn (kubectl
  // --validate=warn) send each as WarningHeaderValue(text) in a Warning
  // header; with Ignore drop them. Empty when strict (they are errors then).
  std::vector<std::string> warnings;
};
// Drops the null members of the object, of its metadata and of its spec, in
// place: kube-apiserver decodes a null optional field as absent (and prunes
// it from a custom resource), so `name: null` next to generateName is a
// request for a generated name. Call it before ValidateMigration and keep the
// pruned object; anything else is left as it is.
void PruneNulls(nlohmann::json& obj);

// `url_namespace` is the namespace of the request path; `strict_fields` is
// fieldValidation=Strict (what kubectl 1.32 sends by default).
MigrationValidation ValidateMigration(const nlohmann::json& obj, std::string_view url_namespace, bool strict_fields);

// The label KubeVirt's mutating webhook puts on every migration it admits:
// kubevirt.io/vmi-name = spec.vmiName (virtctl migrate-cancel and label
// selectors find a VMI's migrations by it). It overwrites a different value,
// as the webhook does. Call it on a validated object.
inline constexpr std::string_view kVmiNameLabel = "kubevirt.io/vmi-name";
void AddVmiNameLabel(nlohmann::json& obj);

// `299 - "<text>"`, the Warning header value kube-apiserver sends.
std::string WarningHeaderValue(std::string_view text);

// Queue order of spec.priority: system-critical 3, user-triggered 2,
// system-maintenance 1, absent or anything else 0.
int PriorityRank(std::string_view priority);

// The priorities spec.priority accepts, most urgent first.
const std::vector<std::string_view>& MigrationPriorities();

}  // namespace migmon::api::k8s

// Kubernetes name syntax, answered with kube-apiserver's wording so that a
// 422 from the monitor reads like one from a cluster. The rules themselves
// are util/k8s_names.h's (shared with config/ and store/); this file words them.
//
// Contract: each function returns every rule `text` breaks, as messages
// meant for InvalidCause's detail; empty means valid.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace migmon::api::k8s {

// Object names: <= 253 of [a-z0-9.-], starting and ending alphanumeric.
// `prefix` checks a generateName: one trailing '-' is allowed there.
std::vector<std::string> Dns1123SubdomainErrors(std::string_view text, bool prefix = false);
// Namespace names: <= 63 of [a-z0-9-], starting and ending alphanumeric.
std::vector<std::string> Dns1123LabelErrors(std::string_view text);
// Label and annotation keys: [<DNS-1123 subdomain>/]<name>, the name <= 63
// of [A-Za-z0-9-_.] starting and ending alphanumeric.
std::vector<std::string> QualifiedNameErrors(std::string_view text);
// Label values: empty, or <= 63 of [A-Za-z0-9-_.] starting and ending alphanumeric.
std::vector<std::string> LabelValueErrors(std::string_view text);

}  // namespace migmon::api::k8s

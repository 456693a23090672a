// Kubernetes name syntax, decided in one place: the config file (node names,
// node labels), the store (label selectors) and the API (object names,
// labels) all ask here, so they agree with each other and with Kubernetes
// (k8s.io/apimachinery/pkg/util/validation).
//
// The Check* functions say which rules a text breaks (Kubernetes reports a
// too-long name and a bad character at once, and the API words each); the
// Is* functions are the plain yes/no.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace migmon::k8s_names {

inline constexpr std::size_t kMaxLabelLength = 63;       // a DNS-1123 label, a label value, a key's name
inline constexpr std::size_t kMaxSubdomainLength = 253;  // a DNS-1123 subdomain

// What is wrong with one name. Both may be true.
struct Verdict {
  bool too_long = false;
  bool bad_syntax = false;  // characters, ends, or (subdomain) an empty dot-separated part
  bool ok() const { return !too_long && !bad_syntax; }
};

// DNS-1123 label (namespace and node names): <= 63 of [a-z0-9-],
// alphanumeric at both ends.
Verdict CheckDns1123Label(std::string_view text);

// DNS-1123 subdomain (object names, a key's prefix): <= 253 characters of
// DNS-1123-label syntax joined by single dots ("a..b", ".a", "a." fail).
// As in Kubernetes, a part is not held to 63 on its own.
Verdict CheckDns1123Subdomain(std::string_view text);

// Label value: empty, or <= 63 of [A-Za-z0-9-_.], alphanumeric at both ends.
Verdict CheckLabelValue(std::string_view text);

// Qualified name (label and annotation keys): [<DNS-1123 subdomain>/]<name>,
// the name non-empty and otherwise a label value.
struct QualifiedNameVerdict {
  bool extra_slash = false;  // more than one '/': nothing else is judged
  bool has_prefix = false;
  bool prefix_empty = false;
  Verdict prefix;
  bool name_empty = false;
  Verdict name;
  bool ok() const {
    return !extra_slash && !prefix_empty && prefix.ok() && !name_empty && name.ok();
  }
};
QualifiedNameVerdict CheckQualifiedName(std::string_view text);

inline bool IsDns1123Label(std::string_view text) { return CheckDns1123Label(text).ok(); }
inline bool IsDns1123Subdomain(std::string_view text) { return CheckDns1123Subdomain(text).ok(); }
inline bool IsLabelValue(std::string_view text) { return CheckLabelValue(text).ok(); }
inline bool IsQualifiedName(std::string_view text) { return CheckQualifiedName(text).ok(); }

}  // namespace migmon::k8s_names

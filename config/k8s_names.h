// Internal to config/: Kubernetes name syntax, so node names and labels are
// usable as Kubernetes label values and Prometheus label values unchanged.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

namespace migmon::config::detail {

// RFC 1123 label: 1..63 of [a-z0-9-], starting and ending alphanumeric.
bool IsDns1123Label(std::string_view text);

// Label value: empty, or 1..63 of [A-Za-z0-9-_.] starting and ending alphanumeric.
bool IsLabelValue(std::string_view text);

// Label key: [prefix/]name, prefix a DNS-1123 subdomain (<= 253), name a
// non-empty label value.
bool IsLabelKey(std::string_view text);

}  // namespace migmon::config::detail

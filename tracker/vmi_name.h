// Maps a libvirt domain name to the KubeVirt VMI (namespace, name) used in
// metric labels and, later, the API.
//   NamingScheme::kDomain:   "web-1"     -> default/web-1
//   NamingScheme::kKubeVirt: "prod_web-1" -> prod/web-1 (virt-launcher's
//                            "<namespace>_<name>"); a name without '_' -> default/<name>
// Names that are not valid Kubernetes names are kept as they are: the domain
// is still watched and its labels carry the domain name. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace migmon {

enum class NamingScheme { kDomain, kKubeVirt };

struct VmiName {
  std::string name_space;  // "namespace" is a C++ keyword
  std::string name;
  bool operator==(const VmiName&) const = default;
};

inline constexpr std::string_view kDefaultNamespace = "default";

VmiName MapDomainName(std::string_view domain_name, NamingScheme scheme);

// Whether `vmi` is the one a user named as "namespace/name", or as "name"
// alone in any namespace (VMI_NAME of the single-VMI pod).
bool IsNamedVmi(const VmiName& vmi, std::string_view wanted);

}  // namespace migmon

#include "tracker/vmi_name.h"

namespace migmon {

VmiName MapDomainName(std::string_view domain_name, NamingScheme scheme) {
  if (scheme == NamingScheme::kKubeVirt) {
    // A Kubernetes namespace cannot contain '_', so the first one separates.
    const auto sep = domain_name.find('_');
    if (sep != std::string_view::npos && sep > 0 && sep + 1 < domain_name.size()) {
      return {std::string(domain_name.substr(0, sep)), std::string(domain_name.substr(sep + 1))};
    }
  }
  return {std::string(kDefaultNamespace), std::string(domain_name)};
}

bool IsNamedVmi(const VmiName& vmi, std::string_view wanted) {
  if (wanted.find('/') == std::string_view::npos) return wanted == vmi.name;
  return wanted == vmi.name_space + "/" + vmi.name;
}

}  // namespace migmon

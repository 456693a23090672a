#include "config/exclude.h"

#include <fnmatch.h>

#include <algorithm>

namespace migmon::config {

bool MatchesExclude(const std::vector<std::string>& globs, std::string_view name_space,
                    std::string_view name) {
  if (globs.empty()) return false;
  std::string qualified;
  qualified.reserve(name_space.size() + 1 + name.size());
  qualified.append(name_space).append("/").append(name);
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& glob) {
    return fnmatch(glob.c_str(), qualified.c_str(), FNM_PATHNAME) == 0;
  });
}

}  // namespace migmon::config

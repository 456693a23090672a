// The effective configuration as YAML, for `migration-monitor check-config`.
//
// Every value is written, defaults and CR-merged values included, with the
// same key names as the input, so the output is itself a valid config:
// ParseConfig(RenderEffective(c)).config has the same values as c. The one
// exception is the API token, a secret: only api.auth.tokenFile is written,
// so reading the output back reads that file again.
//
// Thread-safety: pure function.
#pragma once

#include <string>

#include "config/config.h"

namespace migmon::config {

std::string RenderEffective(const Config& config);

}  // namespace migmon::config

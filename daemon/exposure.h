// The listening policy of the migration API: who can reach it and what
// protects it. `serve` refuses to start, and `check-config` reports the
// same, when the API (api.enabled) listens on a non-loopback address with
//  - neither api.auth.tokenFile nor api.tls: anyone who reaches it can
//    create and delete migrations;
//  - a token but no TLS: the token travels in clear text;
//  - TLS but no token: anyone who reaches it can create migrations;
// unless --insecure, which turns the refusal into a warning. A token file
// that other users may read is a warning wherever the API listens (its
// group may: root:migration-monitor 0640 is how the systemd unit reads it).
//
// Thread-safety: pure, but for the stat of the token file in CheckExposure.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace migmon::app {

struct Exposure {
  std::optional<std::string> refusal;  // why serve must not start
  std::vector<std::string> warnings;
};

// `token_file_mode`: the token file's permission bits, when known.
Exposure DecideExposure(const config::Config& config, bool insecure, std::optional<mode_t> token_file_mode);
// DecideExposure with the token file's mode read from the file system.
Exposure CheckExposure(const config::Config& config, bool insecure);

}  // namespace migmon::app

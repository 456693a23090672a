#include "daemon/exposure.h"

#include <sys/stat.h>

#include <cstdio>

#include "config/listen.h"

namespace migmon::app {
namespace {

std::string Octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

Exposure DecideExposure(const config::Config& config, bool insecure, std::optional<mode_t> token_file_mode) {
  Exposure out;
  if (!config.api.enabled) return out;
  const bool token = !config.api.token.empty();
  const bool tls = !config.api.tls_cert_file.empty();
  // Group may read it: the systemd unit's root:migration-monitor 0640 is how the service user does.
  if (token && token_file_mode && (*token_file_mode & S_IROTH)) {
    out.warnings.push_back("api.auth.tokenFile " + config.api.token_file + " is readable by other users (mode " +
                           Octal(*token_file_mode) + "); make it 0600 or 0640");
  }
  if (config::IsLoopbackHost(config.listen_host) || (token && tls)) return out;
  const std::string where = "the migration API on " + config.listen_host;
  std::string why;
  if (!token && !tls) {
    why = "refusing to serve " + where + " without api.auth.tokenFile or api.tls: anyone who reaches it could "
          "create and delete migrations";
  } else if (token) {
    why = "refusing to serve " + where + " with api.auth.tokenFile but without api.tls: the token would travel in "
          "clear text";
  } else {
    why = "refusing to serve " + where + " with api.tls but without api.auth.tokenFile: anyone who reaches it could "
          "create and delete migrations";
  }
  if (insecure) {
    out.warnings.push_back(why.replace(0, std::string("refusing to serve").size(), "serving") +
                           " (--insecure)");
  } else {
    out.refusal = why + "; set both, listen on a loopback address, or pass --insecure";
  }
  return out;
}

Exposure CheckExposure(const config::Config& config, bool insecure) {
  std::optional<mode_t> mode;
  struct stat st {};
  if (!config.api.token_file.empty() && ::stat(config.api.token_file.c_str(), &st) == 0) mode = st.st_mode;
  return DecideExposure(config, insecure, mode);
}

}  // namespace migmon::app

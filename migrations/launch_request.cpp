#include "migrations/launch_request.h"

#include <algorithm>

namespace migmon::migrations {

LaunchRequest BuildLaunchRequest(const config::NodeConfig& source, const config::NodeConfig& target,
                                 const config::MigrationPolicy& p, const std::string& uuid) {
  LaunchRequest req;
  req.source_uri = source.uri;
  req.uuid = uuid;
  req.target_peer_uri = config::PeerUri(target);
  req.target_migration_address = target.migration_address;
  req.bandwidth_bytes_per_second = p.bandwidth_per_migration_bytes;
  // As KubeVirt does: start at QEMU's default unless the ceiling is lower;
  // escalation may raise it up to maxDowntimeMs.
  req.max_downtime_ms = std::min(p.max_downtime_ms, kQemuDefaultDowntimeMs);
  req.tls = !p.disable_tls;
  req.auto_converge = p.allow_auto_converge;
  req.post_copy = p.allow_post_copy;
  req.unsafe = p.unsafe_migration_override;
  req.shared_storage_paths = p.shared_storage_paths;
  return req;
}

}  // namespace migmon::migrations

// Starts live migrations. Each launch runs on a thread and a libvirt
// connection of its own: the migrate call blocks for the whole migration,
// and libvirtd serves few calls at a time per connection, so a shared
// connection would stall the watcher's polls.
//
// The migration is peer to peer: the source's libvirtd drives it, so when
// this process stops mid-migration libvirt carries on, and the watcher picks
// the migration up again at the next start.
//
// Thread-safety: Launch may be called from any thread. Callbacks run on the
// launch's thread; after Shutdown() none is called any more.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace migmon::hv {

struct LaunchRequest {
  std::string source_uri;
  std::string uuid;                      // the domain on the source
  std::string target_peer_uri;           // how the source's libvirtd reaches the target
  std::string target_migration_address;  // host the migration stream connects to; empty: libvirt's choice
  uint64_t bandwidth_bytes_per_second = 0;  // 0 = unlimited
  bool tls = true;
  bool auto_converge = false;
  bool post_copy = false;  // enable post-copy (the switch is a later call)
  bool unsafe = false;
  std::vector<std::string> shared_storage_paths;
};

// Known once the source's domain was inspected, before the migrate call.
struct LaunchPlan {
  bool block_migration = false;
  std::vector<std::string> copied_disks;  // target names, e.g. vda
  bool persistent = false;
};

struct LaunchResult {
  bool ok = false;
  std::string error;  // libvirt's message, prefixed with what we were doing
};

// bandwidthPerMigration in bytes/s -> libvirt's MiB/s, as KubeVirt converts
// it: rounded half up, at least 1 when not 0 (0 means unlimited).
uint64_t BandwidthMiBPerSecond(uint64_t bytes_per_second);

class Launcher {
 public:
  Launcher();
  ~Launcher();  // = Shutdown(); does not wait for running migrations
  Launcher(const Launcher&) = delete;
  Launcher& operator=(const Launcher&) = delete;

  // on_ready runs once the domain was inspected, just before the migrate
  // call; returning false cancels the launch (on_done then reports it).
  void Launch(LaunchRequest request, std::function<bool(const LaunchPlan&)> on_ready,
              std::function<void(const LaunchResult&)> on_done);
  void Shutdown();

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
};

}  // namespace migmon::hv

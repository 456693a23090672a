// Launching a migration: what the lifecycle stage asks for, what it hears
// back, and the port it asks through. The hypervisor stage implements the
// port (hv::Launcher); tests implement it with a fake. Plain values only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace migmon {

struct LaunchRequest {
  std::string source_uri;
  std::string uuid;                      // the domain on the source
  std::string target_peer_uri;           // how the source's libvirtd reaches the target
  std::string target_migration_address;  // host the migration stream connects to; empty: libvirt's choice
  uint64_t bandwidth_bytes_per_second = 0;  // 0 = unlimited
  uint32_t max_downtime_ms = 300;           // allowed downtime set before the migrate call
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

// Thread-safety: Launch may be called from any thread and returns at once;
// the callbacks run later on a thread of the implementation's, never inside
// Launch. on_ready runs once, just before the migrate call; returning false
// cancels the launch (on_done then reports it). on_done runs exactly once,
// unless the implementation was shut down first.
class LaunchPort {
 public:
  virtual ~LaunchPort() = default;
  virtual void Launch(LaunchRequest request, std::function<bool(const LaunchPlan&)> on_ready,
                      std::function<void(const LaunchResult&)> on_done) = 0;
};

}  // namespace migmon

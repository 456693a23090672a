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

#include "samples/launch.h"

namespace migmon::hv {

// bandwidthPerMigration in bytes/s -> libvirt's MiB/s, as KubeVirt converts
// it: rounded half up, at least 1 when not 0 (0 means unlimited).
uint64_t BandwidthMiBPerSecond(uint64_t bytes_per_second);

class Launcher final : public LaunchPort {
 public:
  Launcher();
  ~Launcher() override;  // = Shutdown(); does not wait for running migrations
  Launcher(const Launcher&) = delete;
  Launcher& operator=(const Launcher&) = delete;

  // on_ready runs once the domain was inspected, just before the migrate
  // call; returning false cancels the launch (on_done then reports it).
  void Launch(LaunchRequest request, std::function<bool(const LaunchPlan&)> on_ready,
              std::function<void(const LaunchResult&)> on_done) override;
  void Shutdown();

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
};

}  // namespace migmon::hv

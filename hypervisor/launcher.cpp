#include "hypervisor/launcher.h"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <thread>

#include "hypervisor/domain_xml.h"
#include "hypervisor/errors.h"
#include "hypervisor/handles.h"
#include "util/log.h"

namespace migmon::hv {

struct Launcher::Shared {
  std::mutex mutex;  // held while a callback runs, so none runs after Shutdown()
  bool stopped = false;
};

namespace {

constexpr uint64_t kMiB = 1 << 20;

bool MentionsTls(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* word : {"tls", "x509", "certificate", "cert.pem", "key.pem", "gnutls"}) {
    if (text.find(word) != std::string::npos) return true;
  }
  return false;
}

// Runs on the launch's own thread: inspect, then migrate (blocking).
LaunchResult Run(const LaunchRequest& r, const std::function<bool(const LaunchPlan&)>& ready) {
  ConnectionHandle conn(virConnectOpen(r.source_uri.c_str()));
  if (!conn) return {false, "cannot connect to the source node: " + LastLibvirtError()};
  DomainHandle dom(virDomainLookupByUUIDString(conn.get(), r.uuid.c_str()));
  if (!dom) return {false, "the domain is no longer on the source node: " + LastLibvirtError()};

  LaunchPlan plan;
  plan.persistent = virDomainIsPersistent(dom.get()) == 1;
  const Malloced<char> xml(virDomainGetXMLDesc(dom.get(), 0));
  if (!xml) return {false, "cannot read the domain's description: " + LastLibvirtError()};
  try {
    plan.copied_disks = DisksToCopy(ParseDisks(xml.get()), r.shared_storage_paths);
  } catch (const std::exception& e) {
    return {false, std::string("cannot read the domain's disks: ") + e.what()};
  }
  plan.block_migration = !plan.copied_disks.empty();
  if (!ready(plan)) return {false, "cancelled before the migration started"};
  // Set before the call: libvirt keeps it for the migration that follows.
  if (virDomainMigrateSetMaxDowntime(dom.get(), r.max_downtime_ms, 0) < 0) {
    return {false, "cannot set the allowed downtime to " + std::to_string(r.max_downtime_ms) +
                       " ms (maxDowntimeMs): " + LastLibvirtError()};
  }

  unsigned long flags = VIR_MIGRATE_LIVE | VIR_MIGRATE_PEER2PEER | VIR_MIGRATE_PERSIST_DEST;
  if (plan.persistent) flags |= VIR_MIGRATE_UNDEFINE_SOURCE;
  if (r.tls) flags |= VIR_MIGRATE_TLS;
  if (r.auto_converge) flags |= VIR_MIGRATE_AUTO_CONVERGE;
  if (r.post_copy) flags |= VIR_MIGRATE_POSTCOPY;
  if (r.unsafe) flags |= VIR_MIGRATE_UNSAFE;
  if (plan.block_migration) flags |= VIR_MIGRATE_NON_SHARED_DISK;

  TypedParams params;
  bool built = true;
  if (!r.target_migration_address.empty()) {
    built = built && params.AddString(VIR_MIGRATE_PARAM_URI, "tcp://" + r.target_migration_address);
  }
  if (const uint64_t mib = BandwidthMiBPerSecond(r.bandwidth_bytes_per_second); mib > 0) {
    built = built && params.AddULLong(VIR_MIGRATE_PARAM_BANDWIDTH, mib);
    if (r.post_copy) built = built && params.AddULLong(VIR_MIGRATE_PARAM_BANDWIDTH_POSTCOPY, mib);
  }
  for (const auto& disk : plan.copied_disks) {
    built = built && params.AddString(VIR_MIGRATE_PARAM_MIGRATE_DISKS, disk);
  }
  if (!built) return {false, "cannot build the migration parameters: " + LastLibvirtError()};
  const int rc = virDomainMigrateToURI3(dom.get(), r.target_peer_uri.c_str(), params.get(),
                                        static_cast<unsigned>(params.count()), static_cast<unsigned>(flags));
  if (rc == 0) return {true, {}};
  const std::string error = LastLibvirtError();
  if (r.tls && MentionsTls(error)) {
    return {false, "encrypted migration (TLS, disableTLS: false) failed; check the QEMU TLS certificates "
                   "of both nodes: " + error};
  }
  return {false, error};
}

}  // namespace

uint64_t BandwidthMiBPerSecond(uint64_t bytes_per_second) {
  if (bytes_per_second == 0) return 0;
  return std::max<uint64_t>(1, (bytes_per_second + kMiB / 2) / kMiB);
}

Launcher::Launcher() : shared_(std::make_shared<Shared>()) {}

Launcher::~Launcher() { Shutdown(); }

void Launcher::Shutdown() {
  std::lock_guard lock(shared_->mutex);
  shared_->stopped = true;
}

void Launcher::Launch(LaunchRequest request, std::function<bool(const LaunchPlan&)> on_ready,
                      std::function<void(const LaunchResult&)> on_done) {
  // Detached: a migration may outlive this process's wish to stop, and
  // libvirt finishes it either way (see the header).
  std::thread([shared = shared_, request = std::move(request), on_ready = std::move(on_ready),
               on_done = std::move(on_done)] {
    const LaunchResult result = Run(request, [&](const LaunchPlan& plan) {
      std::lock_guard lock(shared->mutex);
      return !shared->stopped && on_ready(plan);
    });
    std::lock_guard lock(shared->mutex);
    if (!shared->stopped) on_done(result);
  }).detach();
}

}  // namespace migmon::hv

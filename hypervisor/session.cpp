#include "hypervisor/session.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>
#include <vector>

#include <libvirt/virterror.h>

#include "hypervisor/errors.h"
#include "hypervisor/handles.h"
#include "hypervisor/job_stats.h"
#include "hypervisor/libvirt_codes.h"

namespace migmon::hv {
namespace {

static_assert(code::kEventStarted == VIR_DOMAIN_EVENT_STARTED && code::kEventSuspended == VIR_DOMAIN_EVENT_SUSPENDED &&
              code::kEventResumed == VIR_DOMAIN_EVENT_RESUMED && code::kEventStopped == VIR_DOMAIN_EVENT_STOPPED);
static_assert(code::kStartedMigrated == VIR_DOMAIN_EVENT_STARTED_MIGRATED &&
              code::kResumedMigrated == VIR_DOMAIN_EVENT_RESUMED_MIGRATED &&
              code::kStoppedMigrated == VIR_DOMAIN_EVENT_STOPPED_MIGRATED &&
              code::kSuspendedPostCopy == VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY &&
              code::kSuspendedPostCopyFailed == VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED);
static_assert(code::kStateRunning == VIR_DOMAIN_RUNNING && code::kStateBlocked == VIR_DOMAIN_BLOCKED &&
              code::kStatePaused == VIR_DOMAIN_PAUSED && code::kStateShutdown == VIR_DOMAIN_SHUTDOWN &&
              code::kStateShutOff == VIR_DOMAIN_SHUTOFF && code::kStateCrashed == VIR_DOMAIN_CRASHED &&
              code::kStatePmSuspended == VIR_DOMAIN_PMSUSPENDED);
static_assert(code::kPausedPostCopy == VIR_DOMAIN_PAUSED_POSTCOPY &&
              code::kPausedPostCopyFailed == VIR_DOMAIN_PAUSED_POSTCOPY_FAILED &&
              code::kShutOffMigrated == VIR_DOMAIN_SHUTOFF_MIGRATED);
static_assert(code::kErrNoDomain == VIR_ERR_NO_DOMAIN && code::kErrOperationUnsupported == VIR_ERR_OPERATION_UNSUPPORTED);

// Keepalive: a libvirtd that stops answering is declared dead after about
// interval x (count + 1) seconds; a killed one is noticed at once by EOF.
constexpr int kKeepAliveIntervalSeconds = 2;
constexpr unsigned kKeepAliveCount = 2;

using QueueRef = std::shared_ptr<EventQueue>;

EventQueue& QueueOf(void* opaque) { return **static_cast<QueueRef*>(opaque); }
void FreeQueueRef(void* opaque) { delete static_cast<QueueRef*>(opaque); }

// A UUID as libvirt formats it, held inline. The handle table below is
// rebuilt at every sweep (1,000 domains a node every discoveryInterval), and
// keys that need no heap block keep that rebuild to one allocation a sweep.
struct UuidKey {
  std::array<char, VIR_UUID_STRING_BUFLEN> text{};

  static UuidKey Of(virDomainPtr domain) {
    UuidKey k;
    if (virDomainGetUUIDString(domain, k.text.data()) < 0) k.text[0] = '\0';
    return k;
  }
  static UuidKey Of(const std::string& uuid) {  // uuid.size() < VIR_UUID_STRING_BUFLEN
    UuidKey k;
    std::memcpy(k.text.data(), uuid.c_str(), uuid.size() + 1);
    return k;
  }
  std::string str() const { return text.data(); }
  friend bool operator<(const UuidKey& a, const UuidKey& b) { return std::strcmp(a.text.data(), b.text.data()) < 0; }
  friend bool operator==(const UuidKey& a, const UuidKey& b) { return std::strcmp(a.text.data(), b.text.data()) == 0; }
};

std::string UuidOf(virDomainPtr domain) { return UuidKey::Of(domain).str(); }

std::string NameOf(virDomainPtr domain) {
  const char* name = virDomainGetName(domain);
  return name ? name : "";
}

int LastErrorCode() {
  const virErrorPtr err = virGetLastError();
  return err ? err->code : VIR_ERR_INTERNAL_ERROR;
}

DomainEvent MakeEvent(DomainEvent::Kind kind, virDomainPtr dom) {
  return DomainEvent{kind, UuidOf(dom), NameOf(dom), 0, std::nullopt, {}};
}

int OnLifecycle(virConnectPtr, virDomainPtr dom, int event, int detail, void* opaque) {
  if (const auto kind = LifecycleKind(event, detail)) QueueOf(opaque).Push(MakeEvent(*kind, dom));
  return 0;
}

void OnIteration(virConnectPtr, virDomainPtr dom, int iteration, void* opaque) {
  DomainEvent e = MakeEvent(DomainEvent::Kind::kIterationStarted, dom);
  e.iteration = iteration < 0 ? 0 : static_cast<uint64_t>(iteration);
  QueueOf(opaque).Push(std::move(e));
}

void OnJobCompleted(virConnectPtr, virDomainPtr dom, virTypedParameterPtr params, int count,
                    void* opaque) {
  DomainEvent e = MakeEvent(DomainEvent::Kind::kJobCompleted, dom);
  // sampled_at is WatcherCore's to stamp when it handles the event.
  e.completed = ConvertJobStats(VIR_DOMAIN_JOB_COMPLETED, params, count, SteadyTime{});
  QueueOf(opaque).Push(std::move(e));
}

void OnClose(virConnectPtr, int reason, void* opaque) {
  static constexpr const char* kReasons[] = {"error", "end of file", "keepalive timeout",
                                             "client closed"};
  DomainEvent e{DomainEvent::Kind::kConnectionClosed, {}, {}, 0, std::nullopt, {}};
  e.detail = reason >= 0 && reason < 4 ? kReasons[reason] : "unknown";
  QueueOf(opaque).Push(std::move(e));
}

class LibvirtSession final : public NodeSession {
 public:
  bool Open(const std::string& uri, const QueueRef& queue, std::string& error);
  ~LibvirtSession() override;

  bool Alive() const override { return conn_ && virConnectIsAlive(conn_.get()) == 1; }
  std::vector<ActiveDomain> ListActiveDomains(std::string& error) override;
  bool HasDomain(const std::string& uuid) override { return Domain(uuid) != nullptr; }
  JobQuery QueryJob(const std::string& uuid, SteadyTime now) override;
  std::optional<JobSample> CompletedJob(const std::string& uuid, SteadyTime now) override;
  DomainFacts Facts(const std::string& uuid) override;
  DomainSummary Summary(const std::string& uuid) override;
  std::optional<double> MaxDowntime(const std::string& uuid) override;
  std::optional<double> MaxSpeed(const std::string& uuid) override;
  bool Execute(const std::string& uuid, const MigrationAction& action, std::string& error) override;
  RunState State(const std::string& uuid) override;
  std::optional<uint64_t> AvailableMemory() override;

 private:
  using Handles = std::vector<std::pair<UuidKey, DomainHandle>>;  // sorted by UUID

  // The cached handle, or a fresh lookup; nullptr (libvirt's error set) when unknown.
  virDomainPtr Domain(const std::string& uuid);

  ConnectionHandle conn_;
  std::vector<int> callback_ids_;
  bool close_callback_registered_ = false;
  Handles domains_;  // the last listing's handles and those looked up since
  size_t last_found_ = 0;  // index in domains_ of the last domain asked for
  DomainHandle odd_;  // see Domain()
};

bool LibvirtSession::Open(const std::string& uri, const QueueRef& queue, std::string& error) {
  conn_.reset(virConnectOpen(uri.c_str()));
  if (!conn_) {
    error = LastLibvirtError();
    return false;
  }
  // A driver that runs in this process (test:///) has no connection to keep
  // alive and says so: that is no reason to give the node up.
  if (virConnectSetKeepAlive(conn_.get(), kKeepAliveIntervalSeconds, kKeepAliveCount) < 0 &&
      !LastErrorIsNoSupport()) {
    error = "cannot enable keepalive: " + LastLibvirtError();
    return false;
  }
  if (virConnectRegisterCloseCallback(conn_.get(), OnClose, new QueueRef(queue), FreeQueueRef) < 0) {
    error = "cannot register close callback: " + LastLibvirtError();
    return false;
  }
  close_callback_registered_ = true;

  struct Registration {
    int id;
    virConnectDomainEventGenericCallback callback;
  };
  const Registration registrations[] = {
      {VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_CALLBACK(OnLifecycle)},
      {VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION, VIR_DOMAIN_EVENT_CALLBACK(OnIteration)},
      {VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, VIR_DOMAIN_EVENT_CALLBACK(OnJobCompleted)},
  };
  for (const auto& r : registrations) {
    const int id = virConnectDomainEventRegisterAny(conn_.get(), nullptr, r.id, r.callback, new QueueRef(queue),
                                                    FreeQueueRef);
    if (id < 0) {
      error = "cannot register domain events: " + LastLibvirtError();
      return false;
    }
    callback_ids_.push_back(id);
  }
  return true;
}

LibvirtSession::~LibvirtSession() {
  domains_.clear();  // handles before the connection they hold
  odd_.reset();
  if (!conn_) return;
  for (int id : callback_ids_) virConnectDomainEventDeregisterAny(conn_.get(), id);
  if (close_callback_registered_) virConnectUnregisterCloseCallback(conn_.get(), OnClose);
}

virDomainPtr LibvirtSession::Domain(const std::string& uuid) {
  if (uuid.size() >= VIR_UUID_STRING_BUFLEN) {
    // Not a key the table can hold (libvirt names UUIDs in 36 characters):
    // looked up each time, and held until the next such call.
    odd_.reset(virDomainLookupByUUIDString(conn_.get(), uuid.c_str()));
    return odd_.get();
  }
  const UuidKey key = UuidKey::Of(uuid);
  // A sweep asks for each listed domain in turn, in the listing's order,
  // more than once each: the last one found, or the next, is most often it.
  for (size_t i = last_found_; i < std::min(last_found_ + 2, domains_.size()); ++i) {
    if (domains_[i].first == key) {
      last_found_ = i;
      return domains_[i].second.get();
    }
  }
  const auto by_key = [](const Handles::value_type& e, const UuidKey& k) { return e.first < k; };
  auto it = std::lower_bound(domains_.begin(), domains_.end(), key, by_key);
  if (it == domains_.end() || !(it->first == key)) {
    DomainHandle handle(virDomainLookupByUUIDString(conn_.get(), uuid.c_str()));
    if (!handle) return nullptr;
    // Rare (a domain that appeared since the last sweep): the insert's shift is fine.
    it = domains_.emplace(it, key, std::move(handle));
  }
  last_found_ = static_cast<size_t>(it - domains_.begin());
  return it->second.get();
}

std::vector<ActiveDomain> LibvirtSession::ListActiveDomains(std::string& error) {
  virDomainPtr* raw = nullptr;
  const int n = virConnectListAllDomains(conn_.get(), &raw, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
  std::vector<ActiveDomain> out;
  if (n < 0) {
    error = LastLibvirtError();
    return out;
  }
  // The array is malloc'ed by libvirt; the handles in it are ours to free.
  const Malloced<virDomainPtr> array(raw);
  Handles listed;
  listed.reserve(static_cast<size_t>(n));
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    DomainHandle handle(raw[i]);
    const UuidKey key = UuidKey::Of(handle.get());
    listed.emplace_back(key, std::move(handle));
  }
  // In UUID order, which is also the table's (see Domain()).
  std::sort(listed.begin(), listed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [key, handle] : listed) out.push_back(ActiveDomain{key.str(), NameOf(handle.get())});
  // A domain that left the listing is looked up again when asked for.
  domains_.swap(listed);
  last_found_ = 0;
  return out;
}

JobQuery LibvirtSession::QueryJob(const std::string& uuid, SteadyTime now) {
  JobQuery q;
  virDomainPtr domain = Domain(uuid);
  TypedParams params;
  int type = VIR_DOMAIN_JOB_NONE;
  if (!domain || virDomainGetJobStats(domain, &type, params.out_params(), params.out_count(), 0) < 0) {
    q.status = JobErrorStatus(LastErrorCode());
    q.error = LastLibvirtError();
    return q;
  }
  q.status = JobQuery::Status::kOk;
  q.sample = ConvertJobStats(type, params.get(), params.count(), now);
  return q;
}

std::optional<JobSample> LibvirtSession::CompletedJob(const std::string& uuid, SteadyTime now) {
  virDomainPtr domain = Domain(uuid);
  if (!domain) return std::nullopt;
  TypedParams params;
  int type = VIR_DOMAIN_JOB_NONE;
  const unsigned flags = VIR_DOMAIN_JOB_STATS_COMPLETED | VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED;
  if (virDomainGetJobStats(domain, &type, params.out_params(), params.out_count(), flags) < 0) {
    return std::nullopt;
  }
  if (type == VIR_DOMAIN_JOB_NONE) return std::nullopt;
  return ConvertJobStats(type, params.get(), params.count(), now);
}

DomainFacts LibvirtSession::Facts(const std::string& uuid) {
  DomainFacts f;
  virDomainPtr domain = Domain(uuid);
  if (!domain) return f;
  virDomainInfo info{};
  if (virDomainGetInfo(domain, &info) == 0) f.memory_bytes = uint64_t{info.memory} * 1024;
  f.persistent = virDomainIsPersistent(domain) == 1;
  return f;
}

DomainSummary LibvirtSession::Summary(const std::string& uuid) {
  DomainSummary d;
  d.uuid = uuid;
  virDomainPtr domain = Domain(uuid);
  if (!domain) return d;
  d.name = NameOf(domain);
  // One virDomainGetInfo gives memory and state: a sweep costs per domain.
  virDomainInfo info{};
  if (virDomainGetInfo(domain, &info) == 0) {
    d.memory_bytes = uint64_t{info.memory} * 1024;
    d.running = info.state == VIR_DOMAIN_RUNNING;
    d.state = StateWord(info.state);
  }
  d.persistent = virDomainIsPersistent(domain) == 1;
  return d;
}

std::optional<uint64_t> LibvirtSession::AvailableMemory() {
  int count = 0;
  if (virNodeGetMemoryStats(conn_.get(), VIR_NODE_MEMORY_STATS_ALL_CELLS, nullptr, &count, 0) < 0 || count <= 0) {
    return std::nullopt;
  }
  std::vector<virNodeMemoryStats> stats(static_cast<size_t>(count));
  if (virNodeGetMemoryStats(conn_.get(), VIR_NODE_MEMORY_STATS_ALL_CELLS, stats.data(), &count, 0) < 0) {
    return std::nullopt;
  }
  uint64_t kib = 0;
  for (int i = 0; i < count; ++i) {
    const std::string field = stats[static_cast<size_t>(i)].field;
    if (field == VIR_NODE_MEMORY_STATS_FREE || field == VIR_NODE_MEMORY_STATS_BUFFERS ||
        field == VIR_NODE_MEMORY_STATS_CACHED) {
      kib += stats[static_cast<size_t>(i)].value;
    }
  }
  return kib * 1024;
}

std::optional<double> LibvirtSession::MaxDowntime(const std::string& uuid) {
  virDomainPtr domain = Domain(uuid);
  unsigned long long ms = 0;
  if (!domain || virDomainMigrateGetMaxDowntime(domain, &ms, 0) < 0) return std::nullopt;
  return static_cast<double>(ms) / 1000.0;
}

std::optional<double> LibvirtSession::MaxSpeed(const std::string& uuid) {
  virDomainPtr domain = Domain(uuid);
  unsigned long mib = 0;
  if (!domain || virDomainMigrateGetMaxSpeed(domain, &mib, 0) < 0) return std::nullopt;
  return SpeedLimitBytes(mib);
}

bool LibvirtSession::Execute(const std::string& uuid, const MigrationAction& action, std::string& error) {
  virDomainPtr domain = Domain(uuid);
  int rc = -1;
  if (domain) {
    switch (action.kind) {
      case MigrationAction::Kind::kAbort:
        rc = virDomainAbortJob(domain);
        break;
      case MigrationAction::Kind::kStartPostCopy:
        rc = virDomainMigrateStartPostCopy(domain, 0);
        break;
      case MigrationAction::Kind::kSetMaxDowntime: {
        // libvirt takes milliseconds; never ask for 0 (it means "unchanged" to some drivers).
        const auto ms = static_cast<unsigned long long>(std::max(1.0, action.downtime_seconds * 1000.0 + 0.5));
        rc = virDomainMigrateSetMaxDowntime(domain, ms, 0);
        break;
      }
    }
  }
  if (rc < 0) error = LastLibvirtError();
  return rc == 0;
}

RunState LibvirtSession::State(const std::string& uuid) {
  virDomainPtr domain = Domain(uuid);
  int state = 0;
  int reason = 0;
  if (!domain || virDomainGetState(domain, &state, &reason, 0) < 0) {
    RunState s;
    s.kind = LastErrorIsNoDomain() ? RunState::Kind::kGone : RunState::Kind::kOther;
    s.detail = LastLibvirtError();
    return s;
  }
  return RunStateOf(state, reason);
}

}  // namespace

std::unique_ptr<NodeSession> OpenLibvirtSession(const std::string& uri, std::shared_ptr<EventQueue> queue,
                                                std::string& error) {
  auto session = std::make_unique<LibvirtSession>();
  if (!session->Open(uri, queue, error)) return nullptr;
  return session;
}

}  // namespace migmon::hv

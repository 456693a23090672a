#include "hypervisor/session.h"

#include <algorithm>
#include <vector>

#include <libvirt/virterror.h>

#include "hypervisor/errors.h"
#include "hypervisor/job_stats.h"

namespace migmon::hv {
namespace {

const char* StateWord(int state) {
  switch (state) {
    case VIR_DOMAIN_RUNNING: return "running";
    case VIR_DOMAIN_BLOCKED: return "blocked";
    case VIR_DOMAIN_PAUSED: return "paused";
    case VIR_DOMAIN_SHUTDOWN: return "shutting down";
    case VIR_DOMAIN_SHUTOFF: return "shut off";
    case VIR_DOMAIN_CRASHED: return "crashed";
    case VIR_DOMAIN_PMSUSPENDED: return "suspended";
    default: return "unknown";
  }
}

// Keepalive: a libvirtd that stops answering is declared dead after about
// interval x (count + 1) seconds; a killed one is noticed at once by EOF.
constexpr int kKeepAliveIntervalSeconds = 2;
constexpr unsigned kKeepAliveCount = 2;

using QueueRef = std::shared_ptr<EventQueue>;

EventQueue& QueueOf(void* opaque) { return **static_cast<QueueRef*>(opaque); }
void FreeQueueRef(void* opaque) { delete static_cast<QueueRef*>(opaque); }

DomainEvent MakeEvent(DomainEvent::Kind kind, virDomainPtr dom) {
  DomainEvent e{kind, Session::Uuid(dom), Session::Name(dom), 0, std::nullopt, {}};
  return e;
}

int OnLifecycle(virConnectPtr, virDomainPtr dom, int event, int detail, void* opaque) {
  using K = DomainEvent::Kind;
  std::optional<K> kind;
  switch (event) {
    case VIR_DOMAIN_EVENT_STARTED:
      kind = detail == VIR_DOMAIN_EVENT_STARTED_MIGRATED ? K::kIncomingStarted : K::kStarted;
      break;
    case VIR_DOMAIN_EVENT_RESUMED:
      if (detail == VIR_DOMAIN_EVENT_RESUMED_MIGRATED) kind = K::kIncomingResumed;
      break;
    case VIR_DOMAIN_EVENT_STOPPED:
      kind = detail == VIR_DOMAIN_EVENT_STOPPED_MIGRATED ? K::kStoppedMigrated : K::kStoppedOther;
      break;
    case VIR_DOMAIN_EVENT_SUSPENDED:
      if (detail == VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY) kind = K::kPostCopyStarted;
      if (detail == VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED) kind = K::kPostCopyFailed;
      break;
    default:
      break;
  }
  if (kind) QueueOf(opaque).Push(MakeEvent(*kind, dom));
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
  e.completed = ConvertJobStats(VIR_DOMAIN_JOB_COMPLETED, params, count,
                                std::chrono::steady_clock::now());
  QueueOf(opaque).Push(std::move(e));
}

void OnClose(virConnectPtr, int reason, void* opaque) {
  static constexpr const char* kReasons[] = {"error", "end of file", "keepalive timeout",
                                             "client closed"};
  DomainEvent e{DomainEvent::Kind::kConnectionClosed, {}, {}, 0, std::nullopt, {}};
  e.detail = reason >= 0 && reason < 4 ? kReasons[reason] : "unknown";
  QueueOf(opaque).Push(std::move(e));
}

}  // namespace

std::unique_ptr<Session> Session::Open(const std::string& uri, std::shared_ptr<EventQueue> queue,
                                       std::string& error) {
  std::unique_ptr<Session> s(new Session());
  s->conn_.reset(virConnectOpen(uri.c_str()));
  if (!s->conn_) {
    error = LastLibvirtError();
    return nullptr;
  }
  if (virConnectSetKeepAlive(s->conn_.get(), kKeepAliveIntervalSeconds, kKeepAliveCount) < 0) {
    error = "cannot enable keepalive: " + LastLibvirtError();
    return nullptr;
  }
  if (virConnectRegisterCloseCallback(s->conn_.get(), OnClose, new QueueRef(queue),
                                      FreeQueueRef) < 0) {
    error = "cannot register close callback: " + LastLibvirtError();
    return nullptr;
  }
  s->close_callback_registered_ = true;

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
    const int id = virConnectDomainEventRegisterAny(s->conn_.get(), nullptr, r.id, r.callback,
                                                    new QueueRef(queue), FreeQueueRef);
    if (id < 0) {
      error = "cannot register domain events: " + LastLibvirtError();
      return nullptr;
    }
    s->callback_ids_.push_back(id);
  }
  return s;
}

Session::~Session() {
  if (!conn_) return;
  for (int id : callback_ids_) virConnectDomainEventDeregisterAny(conn_.get(), id);
  if (close_callback_registered_) virConnectUnregisterCloseCallback(conn_.get(), OnClose);
}

bool Session::Alive() const { return conn_ && virConnectIsAlive(conn_.get()) == 1; }

std::vector<DomainHandle> Session::ListActiveDomains(std::string& error) const {
  virDomainPtr* raw = nullptr;
  const int n = virConnectListAllDomains(conn_.get(), &raw, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
  std::vector<DomainHandle> out;
  if (n < 0) {
    error = LastLibvirtError();
    return out;
  }
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) out.emplace_back(raw[i]);
  free(raw);  // the array itself is malloc'ed by libvirt; the handles are now owned
  return out;
}

DomainHandle Session::LookupByUuid(const std::string& uuid) const {
  return DomainHandle(virDomainLookupByUUIDString(conn_.get(), uuid.c_str()));
}

std::string Session::Uuid(virDomainPtr domain) {
  char buf[VIR_UUID_STRING_BUFLEN] = {};
  if (virDomainGetUUIDString(domain, buf) < 0) return {};
  return buf;
}

std::string Session::Name(virDomainPtr domain) {
  const char* name = virDomainGetName(domain);
  return name ? name : "";
}

JobQuery Session::QueryJob(virDomainPtr domain, SteadyTime now) {
  JobQuery q;
  TypedParams params;
  int type = VIR_DOMAIN_JOB_NONE;
  if (virDomainGetJobStats(domain, &type, params.out_params(), params.out_count(), 0) < 0) {
    const virErrorPtr err = virGetLastError();
    const int code = err ? err->code : VIR_ERR_INTERNAL_ERROR;
    // libvirt 9.0 refuses job statistics on the destination of a migration.
    q.status = code == VIR_ERR_OPERATION_UNSUPPORTED ? JobQuery::Status::kIncoming
               : code == VIR_ERR_NO_DOMAIN           ? JobQuery::Status::kNoDomain
                                                     : JobQuery::Status::kError;
    q.error = LastLibvirtError();
    return q;
  }
  q.status = JobQuery::Status::kOk;
  q.sample = ConvertJobStats(type, params.get(), params.count(), now);
  return q;
}

std::optional<JobSample> Session::CompletedJob(virDomainPtr domain, SteadyTime now) {
  TypedParams params;
  int type = VIR_DOMAIN_JOB_NONE;
  const unsigned flags = VIR_DOMAIN_JOB_STATS_COMPLETED | VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED;
  if (virDomainGetJobStats(domain, &type, params.out_params(), params.out_count(), flags) < 0) {
    return std::nullopt;
  }
  if (type == VIR_DOMAIN_JOB_NONE) return std::nullopt;
  return ConvertJobStats(type, params.get(), params.count(), now);
}

DomainFacts Session::Facts(virDomainPtr domain) {
  DomainFacts f;
  virDomainInfo info{};
  if (virDomainGetInfo(domain, &info) == 0) f.memory_bytes = uint64_t{info.memory} * 1024;
  f.persistent = virDomainIsPersistent(domain) == 1;
  return f;
}

DomainSummary Session::Summary(virDomainPtr domain) {
  DomainSummary d;
  d.uuid = Uuid(domain);
  d.name = Name(domain);
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

std::optional<uint64_t> Session::AvailableMemory() const {
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

std::optional<double> Session::MaxDowntime(virDomainPtr domain) {
  unsigned long long ms = 0;
  if (virDomainMigrateGetMaxDowntime(domain, &ms, 0) < 0) return std::nullopt;
  return static_cast<double>(ms) / 1000.0;
}

std::optional<double> Session::MaxSpeed(virDomainPtr domain) {
  // libvirt reports "unlimited" as an enormous number of MiB/s.
  constexpr unsigned long kUnlimitedMiB = 1ul << 30;
  unsigned long mib = 0;
  if (virDomainMigrateGetMaxSpeed(domain, &mib, 0) < 0 || mib == 0 || mib >= kUnlimitedMiB) return std::nullopt;
  return static_cast<double>(mib) * 1024.0 * 1024.0;
}

bool Session::Execute(virDomainPtr domain, const MigrationAction& action, std::string& error) {
  int rc = -1;
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
  if (rc < 0) error = LastLibvirtError();
  return rc == 0;
}

RunState Session::State(virDomainPtr domain) {
  RunState s;
  int state = 0;
  int reason = 0;
  if (virDomainGetState(domain, &state, &reason, 0) < 0) {
    s.kind = LastErrorIsNoDomain() ? RunState::Kind::kGone : RunState::Kind::kOther;
    s.detail = LastLibvirtError();
    return s;
  }
  switch (state) {
    case VIR_DOMAIN_RUNNING:
      s.kind = RunState::Kind::kRunning;
      s.detail = "running";
      break;
    case VIR_DOMAIN_PAUSED:
      s.kind = RunState::Kind::kPaused;
      s.paused_for_postcopy = reason == VIR_DOMAIN_PAUSED_POSTCOPY;
      s.postcopy_failed = reason == VIR_DOMAIN_PAUSED_POSTCOPY_FAILED;
      s.detail = s.postcopy_failed       ? "paused (post-copy failed)"
                 : s.paused_for_postcopy ? "paused (post-copy)"
                                         : "paused";
      break;
    case VIR_DOMAIN_SHUTOFF:
      s.kind = RunState::Kind::kShutOff;
      s.shut_off_migrated = reason == VIR_DOMAIN_SHUTOFF_MIGRATED;
      s.detail = s.shut_off_migrated ? "shut off (migrated)" : "shut off";
      break;
    default:
      s.kind = RunState::Kind::kOther;
      s.detail = StateWord(state);
      break;
  }
  return s;
}

}  // namespace migmon::hv

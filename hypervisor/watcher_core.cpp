#include "hypervisor/watcher_core.h"

#include <algorithm>
#include <vector>

#include "util/log.h"

namespace migmon::hv {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{2000};
constexpr std::chrono::milliseconds kSweepSoonDelay{200};

MigrationMode ModeOf(bool postcopy, bool postcopy_failed) {
  if (postcopy_failed) return MigrationMode::kPostCopyFailed;
  return postcopy ? MigrationMode::kPostCopy : MigrationMode::kPreCopy;
}

bool IsActiveOutgoing(const JobQuery& q) {
  return q.status == JobQuery::Status::kOk && q.sample.type != JobType::kNone &&
         q.sample.operation == JobOperation::kMigrationOut;
}

EndEvidence::SourceState SourceStateOf(const RunState& state) {
  using S = EndEvidence::SourceState;
  switch (state.kind) {
    case RunState::Kind::kRunning: return S::kRunning;
    case RunState::Kind::kPaused: return S::kPaused;
    case RunState::Kind::kShutOff: return state.shut_off_migrated ? S::kShutOffMigrated : S::kShutOffOther;
    case RunState::Kind::kGone:
    case RunState::Kind::kOther: return S::kGone;
  }
  return S::kGone;
}

}  // namespace

WatcherCore::WatcherCore(std::string node, std::string uri, NodeFactsSink& sink, SessionOpener open,
                         const Clock& clock)
    : node_(std::move(node)), uri_(std::move(uri)), sink_(sink), open_(std::move(open)), clock_(clock),
      backoff_(kFirstBackoff) {}

WatcherCore::~WatcherCore() = default;

void WatcherCore::Close() { session_.reset(); }

DomainRef WatcherCore::Ref(const std::string& uuid, const std::string& name) const {
  return DomainRef{node_, uuid, name};
}

bool WatcherCore::Wanted(const std::string& domain_name) const {
  return !settings_.domain_filter || settings_.domain_filter(domain_name);
}

SteadyTime WatcherCore::Step(Wakeup wakeup, const WatchSettings& settings, bool sweep_now) {
  settings_ = settings;
  if (!session_) return StepDisconnected(wakeup);
  auto now = clock_.SteadyNow();
  for (const auto& event : wakeup.events) Handle(event);
  for (const auto& action : wakeup.actions) Execute(action);
  if (sweep_now) next_sweep_ = now;
  if (sweep_soon_) {
    // Soon, not at once: a burst of lifecycle events then costs one sweep.
    next_sweep_ = std::min(next_sweep_, now + kSweepSoonDelay);
    sweep_soon_ = false;
  }
  if (session_ && !session_->Alive()) DropSession("connection lost");
  if (!session_) {
    next_connect_ = now;  // try again at once; the backoff starts if that fails
    return now;
  }
  now = clock_.SteadyNow();
  if (now >= next_poll_) {
    Poll();
    next_poll_ += settings_.poll_interval;
    if (next_poll_ <= now) next_poll_ = now + settings_.poll_interval;  // fell behind: skip, don't burst
  }
  if (session_ && now >= next_sweep_) {
    Sweep();
    next_sweep_ = now + settings_.discovery_interval;
  }
  // A settings change wakes the thread; never sleep past the new interval.
  next_poll_ = std::min(next_poll_, now + settings_.poll_interval);
  next_sweep_ = std::min(next_sweep_, now + settings_.discovery_interval);
  return std::min(next_poll_, next_sweep_);
}

SteadyTime WatcherCore::StepDisconnected(const Wakeup& wakeup) {
  // Events left over from a closed session are stale; actions cannot run.
  for (const auto& action : wakeup.actions) Refuse(action, "node not connected");
  const auto now = clock_.SteadyNow();
  if (now < next_connect_) return next_connect_;
  if (!Connect()) {
    next_connect_ = now + backoff_;
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    return next_connect_;
  }
  next_poll_ = now + settings_.poll_interval;
  next_sweep_ = now + settings_.discovery_interval;
  return std::min(next_poll_, next_sweep_);
}

bool WatcherCore::Connect() {
  std::string error;
  session_ = open_(uri_, queue_, error);
  if (!session_) {
    if (!reported_down_) {
      sink_.NodeConnectivity(node_, false, "cannot connect: " + error);
      log::Warn("cannot connect to node", {{"node", node_}, {"uri", uri_}, {"error", error}});
      reported_down_ = true;
    }
    return false;
  }
  backoff_ = kFirstBackoff;
  reported_down_ = false;
  sink_.NodeConnectivity(node_, true, "connected");
  log::Info("connected to node", {{"node", node_}, {"uri", uri_}});
  // What the previous connection knew may be gone: find the domains again.
  for (auto it = outgoing_.begin(); it != outgoing_.end();) {
    it->second.present = session_->HasDomain(it->first);
    const std::string uuid = it->first;
    ++it;
    if (!outgoing_.at(uuid).present) Finish(uuid);
  }
  Sweep();
  return true;
}

void WatcherCore::DropSession(const std::string& why) {
  for (auto& [uuid, migration] : outgoing_) migration.present = false;
  session_.reset();
  reported_down_ = true;
  sink_.NodeConnectivity(node_, false, why);
  log::Warn("lost connection to node", {{"node", node_}, {"reason", why}});
}

void WatcherCore::Handle(const DomainEvent& event) {
  using K = DomainEvent::Kind;
  if (event.kind == K::kConnectionClosed) {
    // A close from a connection already replaced is stale: ignore it.
    if (session_ && !session_->Alive()) DropSession("connection closed: " + event.detail);
    return;
  }
  if (!session_ || !Wanted(event.name)) return;
  auto out = outgoing_.find(event.uuid);
  const bool is_outgoing = out != outgoing_.end();
  if (event.kind != K::kIterationStarted && event.kind != K::kJobCompleted) sweep_soon_ = true;
  switch (event.kind) {
    case K::kStarted:
      break;  // only the inventory changed
    case K::kIterationStarted:
      if (is_outgoing) {
        Sample(event.uuid, out->second, true);
      } else if (session_->HasDomain(event.uuid)) {
        Track(event.uuid, event.name, true);
      }
      break;
    case K::kJobCompleted:
      if (is_outgoing) {
        out->second.completed = event.completed;
        // Stamped here, on this core's clock: the session does not read time.
        if (out->second.completed) out->second.completed->sampled_at = clock_.SteadyNow();
      } else if (incoming_.erase(event.uuid) > 0) {
        sink_.IncomingEnded(Ref(event.uuid, event.name), true);
      }
      break;
    case K::kIncomingStarted:
      if (incoming_.emplace(event.uuid, event.name).second) sink_.IncomingActive(Ref(event.uuid, event.name));
      break;
    case K::kIncomingResumed:
      if (incoming_.erase(event.uuid) > 0) sink_.IncomingEnded(Ref(event.uuid, event.name), true);
      break;
    case K::kStoppedMigrated:
    case K::kStoppedOther:
      if (is_outgoing) {
        out->second.stopped_migrated = event.kind == K::kStoppedMigrated;
        Finish(event.uuid);
      } else if (incoming_.erase(event.uuid) > 0) {
        sink_.IncomingEnded(Ref(event.uuid, event.name), false);
      }
      break;
    case K::kPostCopyStarted:
    case K::kPostCopyFailed:
      if (is_outgoing) {
        out->second.postcopy = true;
        out->second.postcopy_failed = event.kind == K::kPostCopyFailed;
        Sample(event.uuid, out->second, false);
      }
      break;
    case K::kConnectionClosed:
      break;
  }
}

void WatcherCore::Refuse(const MigrationAction& action, const std::string& why) {
  auto it = outgoing_.find(action.uuid);
  const std::string name = it == outgoing_.end() ? std::string() : it->second.name;
  sink_.ActionDone(Ref(action.uuid, name), action, false, why);
}

void WatcherCore::Execute(const MigrationAction& action) {
  auto it = outgoing_.find(action.uuid);
  if (!session_) return Refuse(action, "node not connected");
  if (it == outgoing_.end() || !it->second.present) return Refuse(action, "no active outgoing migration");
  std::string error;
  const bool ok = session_->Execute(action.uuid, action, error);
  if (ok && action.kind == MigrationAction::Kind::kAbort) it->second.aborted_by_monitor = action.message;
  if (ok) it->second.limits_read_at.reset();  // read the new downtime at the next poll
  sink_.ActionDone(Ref(action.uuid, it->second.name), action, ok, error);
}

void WatcherCore::Track(const std::string& uuid, const std::string& name, bool at_iteration_event) {
  Outgoing migration;
  migration.name = name;
  migration.facts = session_->Facts(uuid);
  auto [it, inserted] = outgoing_.emplace(uuid, std::move(migration));
  if (!inserted) return;
  log::Debug("migration discovered", {{"node", node_}, {"domain", it->second.name}, {"uuid", uuid}});
  Sample(uuid, it->second, at_iteration_event);
}

void WatcherCore::Sample(const std::string& uuid, Outgoing& migration, bool at_iteration_event) {
  if (!migration.present) return;
  const JobQuery q = session_->QueryJob(uuid, clock_.SteadyNow());
  if (q.status == JobQuery::Status::kNoDomain ||
      (q.status == JobQuery::Status::kOk && q.sample.type == JobType::kNone)) {
    return Finish(uuid);
  }
  if (q.status != JobQuery::Status::kOk) {
    // An inactive domain (a persistent one that migrated away while the
    // event was missed) answers with an error, not "no job": look at it.
    const RunState state = session_->State(uuid);
    if (state.kind == RunState::Kind::kShutOff || state.kind == RunState::Kind::kGone) return Finish(uuid);
    log::Debug("job stats unavailable", {{"node", node_}, {"domain", migration.name}, {"error", q.error}});
    return;
  }
  // The run state tells pre-copy from post-copy even when the event was missed.
  const RunState state = session_->State(uuid);
  JobSample sample = q.sample;
  if (at_iteration_event || !migration.limits_read_at ||
      q.sample.sampled_at - *migration.limits_read_at >= settings_.discovery_interval) {
    migration.allowed_downtime_seconds = session_->MaxDowntime(uuid);
    migration.bandwidth_limit_bytes_per_second = session_->MaxSpeed(uuid);
    migration.limits_read_at = q.sample.sampled_at;
  }
  sample.allowed_downtime_seconds = migration.allowed_downtime_seconds;
  sample.bandwidth_limit_bytes_per_second = migration.bandwidth_limit_bytes_per_second;
  migration.postcopy = migration.postcopy || state.paused_for_postcopy;
  migration.postcopy_failed = migration.postcopy_failed || state.postcopy_failed;
  sink_.OutgoingSample(Ref(uuid, migration.name), migration.facts, sample,
                       ModeOf(migration.postcopy, migration.postcopy_failed), at_iteration_event);
}

void WatcherCore::Poll() {
  const auto started = clock_.SteadyNow();
  std::vector<std::string> uuids;
  uuids.reserve(outgoing_.size());
  for (const auto& [uuid, migration] : outgoing_) uuids.push_back(uuid);
  for (const auto& uuid : uuids) {
    if (!session_) break;
    auto it = outgoing_.find(uuid);
    if (it != outgoing_.end()) Sample(uuid, it->second, false);
  }
  sink_.PollDone(node_, clock_.SteadyNow() - started);
}

void WatcherCore::Sweep() {
  std::string error;
  const auto domains = session_->ListActiveDomains(error);
  if (!error.empty()) {
    log::Warn("cannot list domains", {{"node", node_}, {"error", error}});
    return;
  }
  NodeInventory inventory;
  inventory.domains.reserve(domains.size());
  auto& incoming_now = inventory.incoming_uuids;
  for (const auto& domain : domains) {
    if (!Wanted(domain.name)) continue;
    inventory.domains.push_back(session_->Summary(domain.uuid));
    if (outgoing_.count(domain.uuid)) continue;  // polled anyway
    const JobQuery q = session_->QueryJob(domain.uuid, clock_.SteadyNow());
    if (IsActiveOutgoing(q)) {
      Track(domain.uuid, domain.name, false);
    } else if (q.status == JobQuery::Status::kIncoming) {
      incoming_now.push_back(domain.uuid);
      if (incoming_.emplace(domain.uuid, domain.name).second) sink_.IncomingActive(Ref(domain.uuid, domain.name));
    }
  }
  std::erase_if(incoming_, [&](const auto& entry) {
    return std::find(incoming_now.begin(), incoming_now.end(), entry.first) == incoming_now.end();
  });
  inventory.available_memory_bytes = session_->AvailableMemory();
  sink_.SweepDone(node_, inventory);
}

void WatcherCore::Finish(const std::string& uuid) {
  auto it = outgoing_.find(uuid);
  if (it == outgoing_.end()) return;
  Outgoing& m = it->second;
  EndEvidence evidence;
  evidence.stopped_migrated_event = m.stopped_migrated;
  evidence.completed = m.completed;
  evidence.aborted_by_monitor = m.aborted_by_monitor;
  if (m.present && session_) {
    if (!evidence.completed) evidence.completed = session_->CompletedJob(uuid, clock_.SteadyNow());
    const RunState state = session_->State(uuid);
    evidence.source_state_detail = state.detail;
    evidence.source_state = SourceStateOf(state);
  } else {
    evidence.source_state_detail = "not found on the source";
  }
  const DomainRef ref = Ref(uuid, m.name);
  outgoing_.erase(it);
  sink_.OutgoingEnded(ref, evidence);
}

}  // namespace migmon::hv

#include "hypervisor/node_watcher.h"

#include <algorithm>
#include <vector>

#include "hypervisor/errors.h"
#include "hypervisor/session.h"
#include "util/log.h"

namespace migmon::hv {
namespace {

using Clock = std::chrono::steady_clock;
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

}  // namespace

NodeWatcher::NodeWatcher(std::string node, std::string uri, WatchSettings settings,
                         NodeFactsSink& sink)
    : node_(std::move(node)), uri_(std::move(uri)), sink_(sink), settings_(settings) {}

NodeWatcher::~NodeWatcher() { Stop(); }

void NodeWatcher::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void NodeWatcher::RequestStop() {
  stop_ = true;
  queue_->Wake();
}

void NodeWatcher::Stop() {
  RequestStop();
  if (thread_.joinable()) thread_.join();
}

void NodeWatcher::UpdateSettings(WatchSettings settings) {
  {
    std::lock_guard lock(settings_mutex_);
    settings_ = settings;
  }
  queue_->Wake();
}

void NodeWatcher::Submit(MigrationAction action) { queue_->PushAction(std::move(action)); }

void NodeWatcher::RequestSweep() {
  sweep_requested_ = true;
  queue_->Wake();
}

WatchSettings NodeWatcher::Settings() const {
  std::lock_guard lock(settings_mutex_);
  return settings_;
}

bool NodeWatcher::Wanted(const std::string& domain_name) const {
  std::lock_guard lock(settings_mutex_);
  return !settings_.domain_filter || settings_.domain_filter(domain_name);
}

DomainRef NodeWatcher::Ref(const std::string& uuid, const std::string& name) const {
  return DomainRef{node_, uuid, name};
}

void NodeWatcher::Run() {
  auto backoff = kFirstBackoff;
  auto next_poll = Clock::now();
  auto next_sweep = Clock::now();
  while (!stop_) {
    if (!session_) {
      if (!Connect(backoff)) continue;
      next_poll = Clock::now() + Settings().poll_interval;
      next_sweep = Clock::now() + Settings().discovery_interval;
    }
    const auto settings = Settings();
    // A settings change wakes the queue; never sleep past the new interval.
    next_poll = std::min(next_poll, Clock::now() + settings.poll_interval);
    next_sweep = std::min(next_sweep, Clock::now() + settings.discovery_interval);

    const Wakeup wakeup = queue_->WaitUntil(std::min(next_poll, next_sweep));
    for (const auto& event : wakeup.events) {
      if (stop_) break;
      Handle(event);
    }
    for (const auto& action : wakeup.actions) Execute(action);
    if (stop_) break;
    if (sweep_requested_.exchange(false)) next_sweep = Clock::now();
    if (sweep_soon_) {
      // Soon, not at once: a burst of lifecycle events then costs one sweep.
      next_sweep = std::min(next_sweep, Clock::now() + kSweepSoonDelay);
      sweep_soon_ = false;
    }
    if (session_ && !session_->Alive()) DropSession("connection lost");
    if (!session_) continue;

    const auto now = Clock::now();
    if (now >= next_poll) {
      Poll();
      next_poll += settings.poll_interval;
      if (next_poll <= now) next_poll = now + settings.poll_interval;  // fell behind: skip, don't burst
    }
    if (session_ && now >= next_sweep) {
      Sweep();
      next_sweep = now + settings.discovery_interval;
    }
  }
  session_.reset();
}

bool NodeWatcher::Connect(std::chrono::milliseconds& backoff) {
  std::string error;
  session_ = Session::Open(uri_, queue_, error);
  if (!session_) {
    if (!reported_down_) {
      sink_.NodeConnectivity(node_, false, "cannot connect: " + error);
      log::Warn("cannot connect to node", {{"node", node_}, {"uri", uri_}, {"error", error}});
      reported_down_ = true;
    }
    // Waiting on the queue (not sleeping) lets Stop() interrupt the backoff.
    for (const auto& action : queue_->WaitUntil(Clock::now() + backoff).actions) {
      Refuse(action, "node not connected");
    }
    backoff = std::min(backoff * 2, kMaxBackoff);
    return false;
  }
  backoff = kFirstBackoff;
  reported_down_ = false;
  sink_.NodeConnectivity(node_, true, "connected");
  log::Info("connected to node", {{"node", node_}, {"uri", uri_}});
  // Handles from the previous connection are useless now; find the domains again.
  for (auto it = outgoing_.begin(); it != outgoing_.end();) {
    it->second.handle = session_->LookupByUuid(it->first);
    if (!it->second.handle) {
      const std::string uuid = it->first;
      ++it;
      Finish(uuid);
    } else {
      ++it;
    }
  }
  Sweep();
  return true;
}

void NodeWatcher::DropSession(const std::string& why) {
  for (auto& [uuid, migration] : outgoing_) migration.handle.reset();
  session_.reset();
  reported_down_ = true;
  sink_.NodeConnectivity(node_, false, why);
  log::Warn("lost connection to node", {{"node", node_}, {"reason", why}});
}

void NodeWatcher::Handle(const DomainEvent& event) {
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
      } else if (auto handle = session_->LookupByUuid(event.uuid)) {
        Track(std::move(handle), event.uuid, true);
      }
      break;
    case K::kJobCompleted:
      if (is_outgoing) {
        out->second.completed = event.completed;
      } else if (incoming_.erase(event.uuid) > 0) {
        sink_.IncomingEnded(Ref(event.uuid, event.name), true);
      }
      break;
    case K::kIncomingStarted:
      if (incoming_.emplace(event.uuid, event.name).second) {
        sink_.IncomingActive(Ref(event.uuid, event.name));
      }
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

void NodeWatcher::Refuse(const MigrationAction& action, const std::string& why) {
  auto it = outgoing_.find(action.uuid);
  const std::string name = it == outgoing_.end() ? std::string() : it->second.name;
  sink_.ActionDone(Ref(action.uuid, name), action, false, why);
}

void NodeWatcher::Execute(const MigrationAction& action) {
  auto it = outgoing_.find(action.uuid);
  if (!session_) return Refuse(action, "node not connected");
  if (it == outgoing_.end() || !it->second.handle) return Refuse(action, "no active outgoing migration");
  std::string error;
  const bool ok = Session::Execute(it->second.handle.get(), action, error);
  if (ok && action.kind == MigrationAction::Kind::kAbort) it->second.aborted_by_monitor = action.message;
  if (ok) it->second.limits_read_at.reset();  // read the new downtime at the next poll
  sink_.ActionDone(Ref(action.uuid, it->second.name), action, ok, error);
}

void NodeWatcher::Track(DomainHandle handle, const std::string& uuid, bool at_iteration_event) {
  Outgoing migration;
  migration.name = Session::Name(handle.get());
  migration.facts = Session::Facts(handle.get());
  migration.handle = std::move(handle);
  auto [it, inserted] = outgoing_.emplace(uuid, std::move(migration));
  if (!inserted) return;
  log::Debug("migration discovered",
            {{"node", node_}, {"domain", it->second.name}, {"uuid", uuid}});
  Sample(uuid, it->second, at_iteration_event);
}

void NodeWatcher::Sample(const std::string& uuid, Outgoing& migration, bool at_iteration_event) {
  if (!migration.handle) return;
  const JobQuery q = Session::QueryJob(migration.handle.get(), Clock::now());
  if (q.status == JobQuery::Status::kNoDomain ||
      (q.status == JobQuery::Status::kOk && q.sample.type == JobType::kNone)) {
    Finish(uuid);
    return;
  }
  if (q.status != JobQuery::Status::kOk) {
    // An inactive domain (a persistent one that migrated away while the
    // event was missed) answers with an error, not "no job": look at it.
    const RunState state = Session::State(migration.handle.get());
    if (state.kind == RunState::Kind::kShutOff || state.kind == RunState::Kind::kGone) return Finish(uuid);
    log::Debug("job stats unavailable", {{"node", node_}, {"domain", migration.name}, {"error", q.error}});
    return;
  }
  // The run state tells pre-copy from post-copy even when the event was missed.
  const RunState state = Session::State(migration.handle.get());
  JobSample sample = q.sample;
  if (at_iteration_event || !migration.limits_read_at ||
      q.sample.sampled_at - *migration.limits_read_at >= Settings().discovery_interval) {
    migration.allowed_downtime_seconds = Session::MaxDowntime(migration.handle.get());
    migration.bandwidth_limit_bytes_per_second = Session::MaxSpeed(migration.handle.get());
    migration.limits_read_at = q.sample.sampled_at;
  }
  sample.allowed_downtime_seconds = migration.allowed_downtime_seconds;
  sample.bandwidth_limit_bytes_per_second = migration.bandwidth_limit_bytes_per_second;
  migration.postcopy = migration.postcopy || state.paused_for_postcopy;
  migration.postcopy_failed = migration.postcopy_failed || state.postcopy_failed;
  sink_.OutgoingSample(Ref(uuid, migration.name), migration.facts, sample,
                       ModeOf(migration.postcopy, migration.postcopy_failed), at_iteration_event);
}

void NodeWatcher::Poll() {
  const auto started = Clock::now();
  std::vector<std::string> uuids;
  uuids.reserve(outgoing_.size());
  for (const auto& [uuid, migration] : outgoing_) uuids.push_back(uuid);
  for (const auto& uuid : uuids) {
    if (!session_) break;
    auto it = outgoing_.find(uuid);
    if (it != outgoing_.end()) Sample(uuid, it->second, false);
  }
  sink_.PollDone(node_, Clock::now() - started);
}

void NodeWatcher::Sweep() {
  std::string error;
  auto domains = session_->ListActiveDomains(error);
  if (!error.empty()) {
    log::Warn("cannot list domains", {{"node", node_}, {"error", error}});
    return;
  }
  NodeInventory inventory;
  auto& incoming_now = inventory.incoming_uuids;
  for (auto& domain : domains) {
    if (!Wanted(Session::Name(domain.get()))) continue;
    inventory.domains.push_back(Session::Summary(domain.get()));
    const std::string uuid = inventory.domains.back().uuid;
    if (outgoing_.count(uuid)) continue;  // polled anyway
    const JobQuery q = Session::QueryJob(domain.get(), Clock::now());
    if (IsActiveOutgoing(q)) {
      Track(std::move(domain), uuid, false);
    } else if (q.status == JobQuery::Status::kIncoming) {
      incoming_now.push_back(uuid);
      const std::string name = Session::Name(domain.get());
      if (incoming_.emplace(uuid, name).second) sink_.IncomingActive(Ref(uuid, name));
    }
  }
  std::erase_if(incoming_, [&](const auto& entry) {
    return std::find(incoming_now.begin(), incoming_now.end(), entry.first) == incoming_now.end();
  });
  inventory.available_memory_bytes = session_->AvailableMemory();
  sink_.SweepDone(node_, inventory);
}

void NodeWatcher::Finish(const std::string& uuid) {
  auto it = outgoing_.find(uuid);
  if (it == outgoing_.end()) return;
  Outgoing& m = it->second;
  EndEvidence evidence;
  evidence.stopped_migrated_event = m.stopped_migrated;
  evidence.completed = m.completed;
  evidence.aborted_by_monitor = m.aborted_by_monitor;
  if (m.handle) {
    if (!evidence.completed) evidence.completed = Session::CompletedJob(m.handle.get(), Clock::now());
    const RunState state = Session::State(m.handle.get());
    evidence.source_state_detail = state.detail;
    switch (state.kind) {
      case RunState::Kind::kRunning: evidence.source_state = EndEvidence::SourceState::kRunning; break;
      case RunState::Kind::kPaused: evidence.source_state = EndEvidence::SourceState::kPaused; break;
      case RunState::Kind::kShutOff:
        evidence.source_state = state.shut_off_migrated ? EndEvidence::SourceState::kShutOffMigrated
                                                        : EndEvidence::SourceState::kShutOffOther;
        break;
      case RunState::Kind::kGone:
      case RunState::Kind::kOther: evidence.source_state = EndEvidence::SourceState::kGone; break;
    }
  } else {
    evidence.source_state_detail = "not found on the source";
  }
  const DomainRef ref = Ref(uuid, m.name);
  outgoing_.erase(it);
  sink_.OutgoingEnded(ref, evidence);
}

}  // namespace migmon::hv

#include "enforcer/enforcer.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "config/exclude.h"
#include "enforcer/decide.h"
#include "enforcer/progress_rule.h"
#include "util/log.h"

namespace migmon::enforcer {
namespace {

// A stored history belongs to the running job when both put its start
// within this many seconds (elapsed times are read at different moments).
constexpr double kSameJobSlackSeconds = 5.0;

// The (action, reason) pairs the enforcer can take: their counters exist from the start.
constexpr std::pair<MigrationAction::Kind, ActionReason> kActionKinds[] = {
    {MigrationAction::Kind::kAbort, ActionReason::kProgressTimeout},
    {MigrationAction::Kind::kAbort, ActionReason::kCompletionTimeout},
    {MigrationAction::Kind::kStartPostCopy, ActionReason::kCompletionTimeout},
    {MigrationAction::Kind::kSetMaxDowntime, ActionReason::kEscalation},
};

nlohmann::json Fields(const DomainRef& d, const VmiName& vmi) {
  return {{"node", d.node}, {"namespace", vmi.name_space}, {"name", vmi.name}, {"domain", d.name}, {"uuid", d.uuid}};
}

}  // namespace

Enforcer::Enforcer(EnforcerSettings settings, HistoryStore& store, ActionPort& port, const Clock& clock,
                   DryRunSink* dry_runs)
    : settings_(std::move(settings)), store_(store), port_(port), clock_(clock), dry_runs_(dry_runs) {
  restored_ = store_.LoadAll();
  std::lock_guard lock(mutex_);
  SeedCounters();
}

void Enforcer::UpdateSettings(EnforcerSettings settings) {
  std::lock_guard lock(mutex_);
  settings_ = std::move(settings);
  for (auto& [key, t] : active_) {
    t.vmi = MapDomainName(t.domain_name, settings_.naming);
    t.excluded = config::MatchesExclude(settings_.exclude, t.vmi.name_space, t.vmi.name);
  }
  SeedCounters();
}

void Enforcer::SeedCounters() {
  for (const auto& node : settings_.nodes) {
    for (const auto& [kind, reason] : kActionKinds) {
      counters_.try_emplace(CounterKey{node, ActionName(kind), ReasonName(reason), settings_.observe}, 0);
    }
  }
}

Enforcer::Tracked& Enforcer::Adopt(const MigrationKey& key, const DomainRef& domain, const DomainFacts& facts,
                                   const JobSample& sample, double now) {
  Tracked& t = active_[key];
  t.domain_name = domain.name;
  t.vmi = MapDomainName(domain.name, settings_.naming);
  t.excluded = config::MatchesExclude(settings_.exclude, t.vmi.name_space, t.vmi.name);
  t.history = StartHistory(sample, facts.memory_bytes, now);
  if (auto it = restored_.find(key); it != restored_.end()) {
    if (std::fabs(it->second.job_started_at - t.history.job_started_at) <= kSameJobSlackSeconds) {
      t.history = it->second;
      nlohmann::json fields = Fields(domain, t.vmi);
      fields.update({{"passes_started_at", DescribePassStarts(t.history)},
                     {"seconds_since_progress", now - t.history.last_progress_at}});
      log::Info("resumed judging a migration from before the restart", fields);
    }
    restored_.erase(it);
  }
  if (t.excluded) log::Info("migration excluded from enforcement: only watched", Fields(domain, t.vmi));
  return t;
}

void Enforcer::Persist(const MigrationKey& key, Tracked& t) {
  std::string json = nlohmann::json(t.history).dump();
  if (json == t.persisted) return;
  std::string error;
  if (!store_.Put(key, t.history, error)) {
    // Acting is still right; only a restart would judge this migration afresh.
    log::Error("cannot persist enforcer history", {{"node", key.first}, {"uuid", key.second}, {"error", error}});
    return;
  }
  t.persisted = std::move(json);
}

void Enforcer::OutgoingSample(const DomainRef& domain, const DomainFacts& facts, const JobSample& sample,
                              MigrationMode mode, bool at_iteration_event) {
  std::vector<MigrationAction> to_submit, would_do;
  {
    std::lock_guard lock(mutex_);
    const double now = clock_.Now();
    const MigrationKey key{domain.node, domain.uuid};
    auto it = active_.find(key);
    Tracked& t = it != active_.end() ? it->second : Adopt(key, domain, facts, sample, now);
    const Policy& policy = settings_.policy;
    Observe(t.history, sample, at_iteration_event, policy.max_downtime_steps_seconds.size(), now);

    for (Decision& d : t.excluded ? std::vector<Decision>{} : Decide(t.history, sample, mode, policy, now)) {
      MigrationAction& a = d.action;
      a.uuid = domain.uuid;
      const std::string what = std::string(ActionName(a.kind)) + "/" + ReasonName(a.reason);
      auto& seen = t.history.observed_actions;
      // Observe mode reports each action once; later samples decide it again.
      if (settings_.observe && std::find(seen.begin(), seen.end(), what) != seen.end()) continue;
      nlohmann::json fields = Fields(domain, t.vmi);
      fields.update({{"action", ActionName(a.kind)}, {"reason", ReasonName(a.reason)}, {"detail", d.log_message},
                     {"elapsed_seconds", sample.elapsed_seconds.value_or(0)},
                     {"data_remaining_bytes", sample.data_remaining_bytes.value_or(0)},
                     {"passes_started_at", DescribePassStarts(t.history)}});
      if (const auto budget = CompletionBudgetSeconds(t.history, policy)) fields["budget_seconds"] = *budget;
      if (settings_.observe) {
        seen.push_back(what);
        ++counters_[CounterKey{domain.node, ActionName(a.kind), ReasonName(a.reason), true}];
        log::Warn("observe mode: would " + std::string(ActionName(a.kind)) + " the migration", fields);
        would_do.push_back(a);
        continue;
      }
      if (a.kind == MigrationAction::Kind::kSetMaxDowntime) {
        ++t.history.downtime_steps_applied;
        t.history.downtime_step_due = false;
      } else {
        t.history.terminal_action_taken = true;
        t.history.postcopy_requested |= a.kind == MigrationAction::Kind::kStartPostCopy;
      }
      log::Warn("enforcer: " + std::string(ActionName(a.kind)) + " migration", fields);
      to_submit.push_back(a);
    }
    Persist(key, t);  // before anything is acted on
  }
  for (auto& a : to_submit) port_.Submit(domain.node, std::move(a));
  if (dry_runs_) {
    for (const auto& a : would_do) dry_runs_->WouldAct(domain, a);
  }
}

void Enforcer::OutgoingEnded(const DomainRef& domain, const EndEvidence&) {
  const MigrationKey key{domain.node, domain.uuid};
  std::lock_guard lock(mutex_);
  if (active_.erase(key) > 0) store_.Remove(key);
}

void Enforcer::SweepDone(const std::string& node, const NodeInventory&) {
  // A sweep reports every active outgoing migration before this call: stored
  // histories of this node that found no migration belong to ended jobs.
  std::lock_guard lock(mutex_);
  for (auto it = restored_.begin(); it != restored_.end();) {
    if (it->first.first == node) {
      store_.Remove(it->first);
      it = restored_.erase(it);
    } else {
      ++it;
    }
  }
}

void Enforcer::ActionDone(const DomainRef& domain, const MigrationAction& action, bool ok, const std::string& error) {
  if (action.reason == ActionReason::kUserRequest) return;  // not the enforcer's
  std::optional<MigrationAction> fallback;
  {
    std::lock_guard lock(mutex_);
    const MigrationKey key{domain.node, domain.uuid};
    auto it = active_.find(key);
    const VmiName vmi = it != active_.end() ? it->second.vmi : MapDomainName(domain.name, settings_.naming);
    nlohmann::json fields = Fields(domain, vmi);
    fields.update({{"action", ActionName(action.kind)}, {"reason", ReasonName(action.reason)}});
    if (ok) {
      ++counters_[CounterKey{domain.node, ActionName(action.kind), ReasonName(action.reason), false}];
      log::Info("enforcer action done", fields);
      return;
    }
    fields["error"] = error;
    log::Error("enforcer action refused by libvirt", fields);
    if (it == active_.end()) return;
    MigrationHistory& h = it->second.history;
    if (action.kind == MigrationAction::Kind::kStartPostCopy) {
      // E.g. a migration started elsewhere without post-copy enabled.
      fallback = action;
      fallback->kind = MigrationAction::Kind::kAbort;
      fallback->message = action.message.substr(0, action.message.find(';')) +
                          "; libvirt refused post-copy (" + error + "), so aborted";
    } else if (action.kind == MigrationAction::Kind::kAbort) {
      h.terminal_action_taken = false;  // decide again at the next sample
    } else {
      --h.downtime_steps_applied;  // the step did not happen: try it again next pass
    }
    Persist(key, it->second);
  }
  if (fallback) port_.Submit(domain.node, *fallback);
}

EnforcerFigures Enforcer::Figures() const {
  std::lock_guard lock(mutex_);
  EnforcerFigures f;
  const auto& nodes = settings_.nodes;
  const auto managed = [&](const std::string& node) { return std::find(nodes.begin(), nodes.end(), node) != nodes.end(); };
  for (const auto& [key, t] : active_) {
    if (!managed(key.first)) continue;  // its watcher is gone: no more samples will come
    f.migrations.push_back({key.first, t.vmi.name_space, t.vmi.name,
                            CompletionBudgetSeconds(t.history, settings_.policy), t.history.last_progress_at});
  }
  std::sort(f.migrations.begin(), f.migrations.end(), [](const auto& a, const auto& b) {
    return std::tie(a.node, a.name_space, a.name) < std::tie(b.node, b.name_space, b.name);
  });
  for (const auto& node : nodes) {
    for (const auto& [key, count] : counters_) {
      const auto& [counter_node, action, reason, dry_run] = key;
      if (counter_node == node) f.actions.push_back({node, action, reason, dry_run, count});
    }
  }
  return f;
}

}  // namespace migmon::enforcer

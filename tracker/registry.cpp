#include "tracker/registry.h"

#include <algorithm>

#include "tracker/outcome.h"
#include "tracker/progress.h"
#include "util/log.h"

namespace migmon {
namespace {

constexpr size_t kRecentOutcomesKept = 512;

double DurationSeconds(const std::optional<JobSample>& completed, const JobSample& last) {
  if (completed && completed->elapsed_seconds) return *completed->elapsed_seconds;
  return last.elapsed_seconds.value_or(0.0);
}

}  // namespace

MigrationRegistry::MigrationRegistry(NamingScheme naming, const Clock& clock) : clock_(clock), naming_(naming) {}

void MigrationRegistry::SetNodes(const std::vector<std::string>& names) {
  std::lock_guard lock(mutex_);
  std::vector<NodeState> next;
  next.reserve(names.size());
  for (const auto& name : names) {
    if (NodeState* kept = FindNode(name)) {
      next.push_back(std::move(*kept));
    } else {
      next.push_back(NodeState{.name = name});
    }
  }
  nodes_ = std::move(next);
  auto managed = [&](const std::string& node) {
    return std::find(names.begin(), names.end(), node) != names.end();
  };
  std::erase_if(active_, [&](const auto& e) { return !managed(e.first.first); });
  std::erase_if(incoming_, [&](const auto& e) { return !managed(e.first.first); });
  std::erase_if(inventory_, [&](const auto& e) { return !managed(e.first); });
}

void MigrationRegistry::SetNaming(NamingScheme naming) {
  std::lock_guard lock(mutex_);
  naming_ = naming;
  for (auto& [key, m] : active_) m.vmi = MapDomainName(m.source.name, naming_);
}

MigrationRegistry::NodeState* MigrationRegistry::FindNode(const std::string& name) {
  for (auto& n : nodes_) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

std::string MigrationRegistry::TargetOf(const std::string& uuid,
                                        const std::string& source_node) const {
  for (const auto& [key, name] : incoming_) {
    if (key.second == uuid && key.first != source_node) return key.first;
  }
  return {};
}

void MigrationRegistry::NodeConnectivity(const std::string& node, bool up,
                                         const std::string& detail) {
  std::lock_guard lock(mutex_);
  if (NodeState* n = FindNode(node)) {
    n->up = up;
    n->detail = detail;
  }
}

void MigrationRegistry::OutgoingSample(const DomainRef& domain, const DomainFacts& facts,
                                       const JobSample& sample, MigrationMode mode,
                                       bool at_iteration_event) {
  std::lock_guard lock(mutex_);
  const Key key{domain.node, domain.uuid};
  auto [it, discovered] = active_.try_emplace(key);
  Tracked& m = it->second;
  if (discovered) {
    m.source = domain;
    m.facts = facts;
    m.vmi = MapDomainName(domain.name, naming_);
    m.started_at = clock_.Now() - sample.elapsed_seconds.value_or(0.0);
    resumed_on_.erase(domain.uuid);  // a record of an earlier migration of this domain
    log::Info("migration started", {{"node", domain.node},
                                    {"namespace", m.vmi.name_space},
                                    {"name", m.vmi.name},
                                    {"domain", domain.name},
                                    {"uuid", domain.uuid},
                                    {"elapsed_seconds", sample.elapsed_seconds.value_or(0.0)}});
  } else {
    m.previous = m.last;
  }
  m.last = sample;
  if (mode == MigrationMode::kPostCopyFailed && m.mode != MigrationMode::kPostCopyFailed) {
    // The guest is paused on both sides and neither copy is whole: only a
    // human can decide what to do. Say it loudly, once.
    if (NodeState* n = FindNode(domain.node)) ++n->postcopy_failures;
    log::Error("post-copy failed: the guest is paused on both nodes and needs a human",
               {{"node", domain.node}, {"namespace", m.vmi.name_space}, {"name", m.vmi.name},
                {"domain", domain.name}, {"uuid", domain.uuid}});
  }
  m.mode = mode;
  m.block_migration = m.block_migration || sample.disk_total_bytes.value_or(0) > 0;
  m.progress_ratio = NextProgressRatio(m.progress_ratio, sample, m.facts.memory_bytes);
  m.disk_rate = DiskRate(m.previous ? &*m.previous : nullptr, sample);
  if (mode == MigrationMode::kPreCopy) {
    const double now = std::chrono::duration<double>(sample.sampled_at.time_since_epoch()).count();
    m.prediction = UpdateModel(m.model, sample, now, at_iteration_event);
  } else {
    m.prediction = Prediction{};  // nothing of pre-copy's physics holds in post-copy
  }
}

void MigrationRegistry::OutgoingEnded(const DomainRef& domain, const EndEvidence& evidence) {
  std::lock_guard lock(mutex_);
  const Key key{domain.node, domain.uuid};
  auto it = active_.find(key);
  if (it == active_.end()) return;  // ended before its first sample: nothing to count
  const Tracked& m = it->second;
  const auto resumed = resumed_on_.find(domain.uuid);
  const bool target_runs = resumed != resumed_on_.end() && resumed->second != domain.node;
  const Outcome outcome = DecideOutcome(evidence, target_runs);
  const double duration = DurationSeconds(evidence.completed, m.last);
  const std::string target = TargetOf(domain.uuid, domain.node);
  if (NodeState* n = FindNode(domain.node)) {
    ++(outcome.succeeded ? n->succeeded : n->failed);
    n->durations.Observe(duration);
    if (outcome.succeeded && evidence.completed) {
      if (const auto d = evidence.completed->expected_downtime_seconds) n->downtimes.Observe(*d);
      if (const auto s = evidence.completed->setup_seconds) n->setups.Observe(*s);
    }
  }
  recent_outcomes_.push_back({domain.node, domain.uuid, outcome, clock_.Now()});
  if (recent_outcomes_.size() > kRecentOutcomesKept) recent_outcomes_.pop_front();
  if (outcome.succeeded) {
    // Until the nodes' next sweeps, at least do not show it on the source.
    if (auto inv = inventory_.find(domain.node); inv != inventory_.end()) {
      if (std::erase_if(inv->second.domains, [&](const auto& d) { return d.uuid == domain.uuid; }) > 0) {
        ++generations_[domain.node];
      }
    }
  }
  log::Info("migration ended", {{"node", domain.node},
                                {"target_node", target.empty() && target_runs ? resumed->second : target},
                                {"namespace", m.vmi.name_space},
                                {"name", m.vmi.name},
                                {"domain", domain.name},
                                {"outcome", outcome.succeeded ? "succeeded" : "failed"},
                                {"reason", outcome.reason},
                                {"mode", ModeName(m.mode)},
                                {"duration_seconds", duration},
                                {"source_state", evidence.source_state_detail}});
  active_.erase(it);
}

void MigrationRegistry::IncomingActive(const DomainRef& domain) {
  std::lock_guard lock(mutex_);
  incoming_[{domain.node, domain.uuid}] = domain.name;
}

void MigrationRegistry::IncomingEnded(const DomainRef& domain, bool resumed) {
  std::lock_guard lock(mutex_);
  incoming_.erase({domain.node, domain.uuid});
  if (resumed) resumed_on_[domain.uuid] = domain.node;
}

void MigrationRegistry::SweepDone(const std::string& node, const NodeInventory& inventory) {
  std::lock_guard lock(mutex_);
  auto& kept = inventory_[node];
  // Most sweeps find what the last one found: readers then keep their index
  // of it, and the list is not copied again (comparing costs no allocation).
  if (sweeps_[node] == 0 || kept.domains != inventory.domains) {
    ++generations_[node];
    kept.domains = inventory.domains;
  }
  kept.incoming_uuids = inventory.incoming_uuids;
  kept.available_memory_bytes = inventory.available_memory_bytes;
  ++sweeps_[node];
  const auto& uuids = inventory.incoming_uuids;
  std::erase_if(incoming_, [&](const auto& e) {
    return e.first.first == node &&
           std::find(uuids.begin(), uuids.end(), e.first.second) == uuids.end();
  });
}

void MigrationRegistry::PollDone(const std::string&, std::chrono::duration<double> took) {
  std::lock_guard lock(mutex_);
  poll_durations_.Observe(took.count());
}

std::optional<Outcome> MigrationRegistry::RecentOutcome(const std::string& node, const std::string& uuid,
                                                        double since) const {
  std::lock_guard lock(mutex_);
  for (auto it = recent_outcomes_.rbegin(); it != recent_outcomes_.rend(); ++it) {
    if (it->node == node && it->uuid == uuid) {
      if (it->ended_at < since) break;  // the newest ending of this domain is older
      return it->outcome;
    }
  }
  return std::nullopt;
}

Snapshot MigrationRegistry::TakeSnapshot(bool with_domains) const {
  std::lock_guard lock(mutex_);
  Snapshot s;
  s.poll_durations = poll_durations_;
  s.migrations.reserve(active_.size());
  for (const auto& [key, m] : active_) {
    MigrationView v;
    v.source = m.source;
    v.vmi = m.vmi;
    v.target_node = TargetOf(key.second, key.first);
    v.mode = m.mode;
    v.block_migration = m.block_migration;
    v.last = m.last;
    v.started_at = m.started_at;
    v.progress_ratio = m.progress_ratio;
    v.disk_rate = m.disk_rate;
    v.prediction = m.prediction;
    s.migrations.push_back(std::move(v));
  }
  std::sort(s.migrations.begin(), s.migrations.end(), [](const auto& a, const auto& b) {
    return std::tie(a.source.node, a.vmi.name_space, a.vmi.name) <
           std::tie(b.source.node, b.vmi.name_space, b.vmi.name);
  });
  for (const auto& n : nodes_) {
    NodeView v;
    v.name = n.name;
    v.up = n.up;
    v.detail = n.detail;
    v.succeeded = n.succeeded;
    v.failed = n.failed;
    v.durations = n.durations;
    v.downtimes = n.downtimes;
    v.setups = n.setups;
    v.postcopy_failures = n.postcopy_failures;
    if (auto inv = inventory_.find(n.name); inv != inventory_.end()) {
      if (auto count = sweeps_.find(n.name); count != sweeps_.end()) v.sweeps = count->second;
      if (with_domains) v.domains = inv->second.domains;
      v.domain_count = inv->second.domains.size();
      if (auto g = generations_.find(n.name); g != generations_.end()) v.inventory_generation = g->second;
      v.available_memory_bytes = inv->second.available_memory_bytes;
    }
    for (const auto& [key, m] : active_) v.outbound += key.first == n.name ? 1 : 0;
    for (const auto& [key, name] : incoming_) v.inbound += key.first == n.name ? 1 : 0;
    s.nodes.push_back(std::move(v));
  }
  return s;
}

}  // namespace migmon

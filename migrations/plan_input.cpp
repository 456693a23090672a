#include "migrations/plan_input.h"

namespace migmon::migrations {

std::string PlanKey(const Entry& e) { return e.ns + "/" + e.name; }

PlanInput MakePlanInput(const Index& index, const std::set<Key>& queued, const Snapshot& snap,
                        const VmiLocator& vmis, const std::vector<config::NodeConfig>& nodes) {
  PlanInput in;
  const bool complete = InventoryComplete(snap);
  for (const Key& key : queued) {
    Entry* e = index.Find(key);
    if (!e || e->phase != Phase::kPending) continue;
    sched::Candidate c;
    c.key = PlanKey(*e);
    c.priority_rank = e->priority;
    c.sequence = e->seq;
    c.node_selector = e->selector;
    if (auto where = vmis.Find({e->ns, e->vmi})) {
      c.vmi = sched::VmiLocation{where->node, where->domain.uuid, where->domain.memory_bytes};
      c.vmi_migrating = ActiveMigration(snap, where->node, where->domain.uuid) != nullptr;
      in.located[c.key] = *where;
    } else if (!complete) {
      in.unknown.push_back(e);
      continue;
    }
    in.candidates.push_back(std::move(c));
  }
  for (const auto& conf : nodes) {
    sched::NodeRoom r;
    r.name = conf.name;
    r.labels = conf.labels;
    r.memory_reserve_bytes = conf.memory_reserve_bytes;
    if (const NodeView* v = FindNodeView(snap, conf.name)) {
      r.connected = v->up;
      r.available_memory_bytes = v->available_memory_bytes.value_or(0);
      r.outbound = static_cast<uint32_t>(v->outbound);
      r.inbound = static_cast<uint32_t>(v->inbound);
    }
    in.rooms.push_back(std::move(r));
  }
  in.running = static_cast<uint32_t>(snap.migrations.size());
  for (const Key& key : index.In(Stage::kInFlight)) {
    const Entry* e = index.Find(key);
    // Ours that hold a slot but libvirt does not show yet.
    if (!IsInFlight(e->phase) || ActiveMigration(snap, e->source, e->uuid)) continue;
    if (!e->launching && !e->adopted) continue;
    ++in.running;
    for (auto& r : in.rooms) {
      if (r.name == e->source) ++r.outbound;
      if (r.name == e->target) ++r.inbound;
    }
  }
  return in;
}

PlanTriggers PlanTriggersOf(const Snapshot& snap) {
  PlanTriggers t;
  t.nodes.reserve(snap.nodes.size());
  for (const auto& n : snap.nodes) {
    t.nodes.push_back({n.name, n.up && n.sweeps > 0, n.available_memory_bytes, n.outbound, n.inbound,
                       n.inventory_generation});
  }
  t.migrations.reserve(snap.migrations.size());
  for (const auto& m : snap.migrations) t.migrations.emplace_back(m.source.node, m.source.uuid);
  return t;
}

sched::Limits LimitsOf(const config::MigrationPolicy& p) {
  return {p.parallel_migrations_per_cluster, p.parallel_outbound_migrations_per_node,
          p.parallel_inbound_migrations_per_node};
}

}  // namespace migmon::migrations

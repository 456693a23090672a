#include "scheduler/plan.h"

#include <algorithm>
#include <tuple>

namespace migmon::sched {
namespace {

std::string Mib(uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

uint64_t Room(const NodeRoom& n) {
  return n.available_memory_bytes > n.memory_reserve_bytes ? n.available_memory_bytes - n.memory_reserve_bytes : 0;
}

// The best target for `c`, or nullptr with `why` listing each node's reason.
NodeRoom* PickTarget(const Candidate& c, std::vector<NodeRoom>& nodes, const Limits& limits, std::string& why) {
  NodeRoom* best = nullptr;
  for (NodeRoom& n : nodes) {
    std::string no;
    if (n.name == c.vmi->node) continue;
    if (!n.connected) {
      no = "not connected";
    } else if (!MatchesSelector(c.node_selector, n.labels)) {
      no = "does not match addedNodeSelector";
    } else if (limits.inbound_per_node > 0 && n.inbound >= limits.inbound_per_node) {
      no = "parallelInboundMigrationsPerNode (" + std::to_string(limits.inbound_per_node) + ") reached";
    } else if (Room(n) < c.vmi->memory_bytes) {
      no = Mib(n.available_memory_bytes) + " available - " + Mib(n.memory_reserve_bytes) + " reserve < " +
           Mib(c.vmi->memory_bytes) + " guest";
    }
    if (!no.empty()) {
      why += (why.empty() ? "" : "; ") + n.name + ": " + no;
      continue;
    }
    if (!best || std::make_tuple(n.inbound, -static_cast<int64_t>(Room(n)), n.name) <
                     std::make_tuple(best->inbound, -static_cast<int64_t>(Room(*best)), best->name)) {
      best = &n;
    }
  }
  if (!best && why.empty()) why = "no other managed node";
  return best;
}

}  // namespace

bool MatchesSelector(const std::map<std::string, std::string>& selector,
                     const std::map<std::string, std::string>& labels) {
  return std::all_of(selector.begin(), selector.end(), [&](const auto& kv) {
    auto it = labels.find(kv.first);
    return it != labels.end() && it->second == kv.second;
  });
}

Plan PlanLaunches(std::vector<Candidate> pending, std::vector<NodeRoom> nodes, uint32_t running,
                  const Limits& limits) {
  std::stable_sort(pending.begin(), pending.end(), [](const Candidate& a, const Candidate& b) {
    return std::make_tuple(-a.priority_rank, a.sequence) < std::make_tuple(-b.priority_rank, b.sequence);
  });
  auto find_node = [&](const std::string& name) -> NodeRoom* {
    for (auto& n : nodes) {
      if (n.name == name) return &n;
    }
    return nullptr;
  };
  Plan plan;
  for (const Candidate& c : pending) {
    if (!c.vmi) {
      plan.failures.push_back({c.key, "the VMI no longer runs on any managed node"});
      continue;
    }
    if (c.vmi_migrating) {
      plan.waits.push_back({c.key, "VMIMigrating", "the VMI has an active migration; waiting for it to end"});
      continue;
    }
    if (running >= limits.per_cluster) {
      plan.waits.push_back({c.key, "ClusterLimitReached",
                            "parallelMigrationsPerCluster (" + std::to_string(limits.per_cluster) +
                                ") migrations are running"});
      continue;
    }
    NodeRoom* source = find_node(c.vmi->node);
    if (!source || !source->connected) {
      plan.waits.push_back({c.key, "SourceNotConnected", "source node " + c.vmi->node + " is not connected"});
      continue;
    }
    if (source->outbound >= limits.outbound_per_node) {
      plan.waits.push_back({c.key, "OutboundLimitReached",
                            "parallelOutboundMigrationsPerNode (" + std::to_string(limits.outbound_per_node) +
                                ") migrations are leaving " + source->name});
      continue;
    }
    std::string why;
    NodeRoom* target = PickTarget(c, nodes, limits, why);
    if (!target) {
      plan.waits.push_back({c.key, "NoTargetNode", "no node can take the VMI: " + why});
      continue;
    }
    plan.launches.push_back({c.key, source->name, target->name});
    ++running;
    ++source->outbound;
    ++target->inbound;
    target->available_memory_bytes -= std::min(target->available_memory_bytes, c.vmi->memory_bytes);
  }
  return plan;
}

}  // namespace migmon::sched

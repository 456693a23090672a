// Hands every fact to several sinks in order (the tracker first, then the
// enforcer), so each stage sees the same facts in the same order.
// Thread-safe when the sinks are.
#pragma once

#include <vector>

#include "samples/node_facts.h"

namespace migmon {

class FanOutSink final : public NodeFactsSink {
 public:
  explicit FanOutSink(std::vector<NodeFactsSink*> sinks) : sinks_(std::move(sinks)) {}

  void NodeConnectivity(const std::string& node, bool up, const std::string& detail) override {
    for (auto* s : sinks_) s->NodeConnectivity(node, up, detail);
  }
  void OutgoingSample(const DomainRef& domain, const DomainFacts& facts, const JobSample& sample,
                      MigrationMode mode, bool at_iteration_event) override {
    for (auto* s : sinks_) s->OutgoingSample(domain, facts, sample, mode, at_iteration_event);
  }
  void OutgoingEnded(const DomainRef& domain, const EndEvidence& evidence) override {
    for (auto* s : sinks_) s->OutgoingEnded(domain, evidence);
  }
  void IncomingActive(const DomainRef& domain) override {
    for (auto* s : sinks_) s->IncomingActive(domain);
  }
  void IncomingEnded(const DomainRef& domain, bool resumed) override {
    for (auto* s : sinks_) s->IncomingEnded(domain, resumed);
  }
  void SweepDone(const std::string& node, const NodeInventory& inventory) override {
    for (auto* s : sinks_) s->SweepDone(node, inventory);
  }
  void ActionDone(const DomainRef& domain, const MigrationAction& action, bool ok,
                  const std::string& error) override {
    for (auto* s : sinks_) s->ActionDone(domain, action, ok, error);
  }
  void PollDone(const std::string& node, std::chrono::duration<double> took) override {
    for (auto* s : sinks_) s->PollDone(node, took);
  }

 private:
  std::vector<NodeFactsSink*> sinks_;
};

}  // namespace migmon

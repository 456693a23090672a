// A NodeFactsSink that keeps every fact it is told, in order, for tests to
// assert on. Thread-safe: watchers call it from their own threads.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "samples/node_facts.h"

namespace migmon::testing_support {

class RecordingSink final : public NodeFactsSink {
 public:
  struct Connectivity {
    std::string node;
    bool up;
    std::string detail;
  };
  struct Sample {
    DomainRef domain;
    DomainFacts facts;
    JobSample sample;
    MigrationMode mode;
    bool at_iteration_event;
  };
  struct Ended {
    DomainRef domain;
    EndEvidence evidence;
  };
  struct Incoming {
    DomainRef domain;
    bool active;   // IncomingActive; else IncomingEnded
    bool resumed;  // IncomingEnded only
  };
  struct Action {
    DomainRef domain;
    MigrationAction action;
    bool ok;
    std::string error;
  };

  void NodeConnectivity(const std::string& node, bool up, const std::string& detail) override {
    std::lock_guard lock(mutex_);
    connectivity.push_back({node, up, detail});
    order.push_back(up ? "up" : "down");
  }
  void OutgoingSample(const DomainRef& domain, const DomainFacts& facts, const JobSample& sample, MigrationMode mode,
                      bool at_iteration_event) override {
    std::lock_guard lock(mutex_);
    samples.push_back({domain, facts, sample, mode, at_iteration_event});
    if (order.empty() || order.back() != "sample") order.push_back("sample");
  }
  void OutgoingEnded(const DomainRef& domain, const EndEvidence& evidence) override {
    std::lock_guard lock(mutex_);
    ended.push_back({domain, evidence});
    order.push_back("ended");
  }
  void IncomingActive(const DomainRef& domain) override {
    std::lock_guard lock(mutex_);
    incoming.push_back({domain, true, false});
    order.push_back("incoming");
  }
  void IncomingEnded(const DomainRef& domain, bool resumed) override {
    std::lock_guard lock(mutex_);
    incoming.push_back({domain, false, resumed});
    order.push_back(resumed ? "incoming resumed" : "incoming failed");
  }
  void SweepDone(const std::string& /*node*/, const NodeInventory& inventory) override {
    std::lock_guard lock(mutex_);
    sweeps.push_back(inventory);
  }
  void ActionDone(const DomainRef& domain, const MigrationAction& action, bool ok, const std::string& error) override {
    std::lock_guard lock(mutex_);
    actions.push_back({domain, action, ok, error});
  }

  template <typename T>
  std::vector<T> Copy(const std::vector<T>& v) const {
    std::lock_guard lock(mutex_);
    return v;
  }

  // Everything below is guarded by mutex_ while watchers run; read it after they stopped
  // (or through Copy()).
  std::vector<Connectivity> connectivity;
  std::vector<Sample> samples;
  std::vector<Ended> ended;
  std::vector<Incoming> incoming;
  std::vector<NodeInventory> sweeps;
  std::vector<Action> actions;
  std::vector<std::string> order;  // the kinds of facts in order, runs of samples as one

 private:
  mutable std::mutex mutex_;
};

}  // namespace migmon::testing_support

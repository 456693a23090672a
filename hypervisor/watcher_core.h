// What a NodeWatcher knows and decides, without a thread: the session to the
// node (opened through a SessionOpener, reopened with backoff capped at 2 s),
// the outgoing and incoming migrations learnt from events and sweeps, the
// polls of job statistics, the end-of-job evidence, and every fact reported
// to a NodeFactsSink. Time is read from a migmon::Clock only.
//
// NodeWatcher runs it on its own thread: wait on queue() until the deadline
// Step returned, then Step again. Tests drive it the same way with a fake
// clock and a fake session, deterministically.
//
// Thread-safety: one thread at a time; queue() is thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "hypervisor/domain_event.h"
#include "hypervisor/node_session.h"
#include "samples/node_facts.h"
#include "util/clock.h"

namespace migmon::hv {

struct WatchSettings {
  std::chrono::milliseconds poll_interval{500};
  std::chrono::milliseconds discovery_interval{5000};
  // Only domains whose name it accepts are watched at all (nullptr: every
  // domain). The single-VMI pod uses it to watch its own VMI alone.
  std::function<bool(const std::string& domain_name)> domain_filter;
};

class WatcherCore {
 public:
  WatcherCore(std::string node, std::string uri, NodeFactsSink& sink, SessionOpener open, const Clock& clock);
  ~WatcherCore();
  WatcherCore(const WatcherCore&) = delete;
  WatcherCore& operator=(const WatcherCore&) = delete;

  // Handles what woke the thread, then connects, polls or sweeps when due.
  // Returns when to be stepped again at the latest. sweep_now: sweep at once.
  SteadyTime Step(Wakeup wakeup, const WatchSettings& settings, bool sweep_now);
  // Closes the session (the thread is ending).
  void Close();

  const std::shared_ptr<EventQueue>& queue() const { return queue_; }
  bool connected() const { return session_ != nullptr; }

 private:
  struct Outgoing {
    bool present = true;  // the domain is known on the current connection
    std::string name;
    DomainFacts facts;
    bool stopped_migrated = false;
    bool postcopy = false;
    bool postcopy_failed = false;
    std::optional<JobSample> completed;
    std::optional<std::string> aborted_by_monitor;
    // The migration's limits change rarely: read at discovery, at each new
    // pass, after our own change and once per discovery interval, not per poll.
    std::optional<double> allowed_downtime_seconds;
    std::optional<double> bandwidth_limit_bytes_per_second;
    std::optional<SteadyTime> limits_read_at;
  };

  SteadyTime StepDisconnected(const Wakeup& wakeup);
  bool Connect();
  void DropSession(const std::string& why);
  void Handle(const DomainEvent& event);
  void Execute(const MigrationAction& action);
  void Refuse(const MigrationAction& action, const std::string& why);
  void Sweep();
  void Poll();
  void Sample(const std::string& uuid, Outgoing& migration, bool at_iteration_event);
  // Adds a newly seen outgoing migration and reports its first sample.
  void Track(const std::string& uuid, const std::string& name, bool at_iteration_event);
  void Finish(const std::string& uuid);
  DomainRef Ref(const std::string& uuid, const std::string& name) const;
  bool Wanted(const std::string& domain_name) const;

  const std::string node_;
  const std::string uri_;
  NodeFactsSink& sink_;
  const SessionOpener open_;
  const Clock& clock_;
  std::shared_ptr<EventQueue> queue_ = std::make_shared<EventQueue>();

  WatchSettings settings_;  // as of the current Step
  std::unique_ptr<NodeSession> session_;
  bool reported_down_ = false;
  std::chrono::milliseconds backoff_;
  SteadyTime next_connect_{};
  SteadyTime next_poll_{};
  SteadyTime next_sweep_{};
  bool sweep_soon_ = false;  // the set of domains changed: sweep without waiting for the interval
  std::map<std::string, Outgoing> outgoing_;     // by UUID
  std::map<std::string, std::string> incoming_;  // UUID -> name
};

}  // namespace migmon::hv

// Keeps a trace (docs/traces.md) of every outgoing migration the monitor
// watches: one file per migration under a folder (dataDir/traces/), with
// every sample in libvirt's names and units, the iteration events, the
// limits when they change, the enforcer's actions and the end. At most
// max_files files and none older than max_age are kept: the oldest go first,
// when a new migration starts.
//
// Also what `migration-monitor record` runs, with a domain filter and a
// fixed output file.
//
// Thread-safety: thread-safe (the watchers of several nodes report at
// once); a write is a few hundred bytes appended under the lock, no libvirt
// call is made.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "samples/node_facts.h"
#include "tracker/vmi_name.h"
#include "util/clock.h"

namespace migmon::app {

struct TraceRecorderSettings {
  std::string folder;                 // dataDir/traces
  size_t max_files = 200;
  std::chrono::hours max_age{24 * 7};
  NamingScheme naming = NamingScheme::kDomain;
  double poll_seconds = 0.5;          // recorded in the meta line
  // record: only this domain, into exactly this file (no retention).
  std::optional<std::string> only_domain;
  std::optional<std::string> output_file;
};

class TraceRecorder final : public NodeFactsSink, public DryRunSink {
 public:
  // on_end: called (outside the lock) when a recorded migration ended, with its file.
  TraceRecorder(TraceRecorderSettings settings, const Clock& clock,
                std::function<void(const std::string& path)> on_end = nullptr);
  ~TraceRecorder() override;

  void OutgoingSample(const DomainRef& domain, const DomainFacts& facts, const JobSample& sample,
                      MigrationMode mode, bool at_iteration_event) override;
  void OutgoingEnded(const DomainRef& domain, const EndEvidence& evidence) override;
  void ActionDone(const DomainRef& domain, const MigrationAction& action, bool ok, const std::string& error) override;
  // An observe-mode decision: a "decision" record with "dry_run": true.
  void WouldAct(const DomainRef& domain, const MigrationAction& action) override;

 private:
  struct Open {
    std::FILE* file = nullptr;
    std::string path;
    Clock::Steady started{};
    // The limits last written, to write changes only.
    bool limits_written = false;
    std::optional<double> downtime, speed;
  };
  using Key = std::pair<std::string, std::string>;  // node, uuid

  Open* Start(const DomainRef& domain, const DomainFacts& facts, const JobSample& sample);  // requires mutex_
  void Write(Open& open, nlohmann::json record);                                           // requires mutex_
  void Prune();                                                                            // requires mutex_
  void WriteDecision(const DomainRef& domain, nlohmann::json decision);                    // takes mutex_

  const TraceRecorderSettings settings_;
  const Clock& clock_;
  const std::function<void(const std::string&)> on_end_;
  std::mutex mutex_;
  std::map<Key, Open> open_;
  bool warned_ = false;  // the folder could not be written: said once
};

}  // namespace migmon::app

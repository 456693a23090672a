// One node of a recording (tests/fixtures/watcher/*.jsonl, format in the
// README there) played back as the NodeSession a watcher would have had:
// queries answer with what the recorder read at about that time, the
// recorded events go into the watcher's EventQueue, and the connection is up
// or down as it was. Raw values go through the same conversions as the live
// session (hypervisor/libvirt_codes.h), so a replay tests those too.
//
// "About that time": the recorder reads the node again right after each
// event, so a query sees records up to kReaction after now, but never past
// the next event still to come. Single-threaded, like the watcher core.
#pragma once

#include <algorithm>
#include <fstream>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hypervisor/json_job_fields.h"
#include "hypervisor/libvirt_codes.h"
#include "hypervisor/node_session.h"
#include "tests/unit/fake_clock.h"

namespace migmon::testing_support {

using nlohmann::json;

inline std::vector<json> LoadRecording(const std::string& name) {
  const std::string path = std::string(MIGMON_SOURCE_DIR) + "/tests/fixtures/watcher/" + name + ".jsonl";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<json> records;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) records.push_back(json::parse(line));
  }
  // The recorder's threads stamp a record before taking the journal's lock.
  std::stable_sort(records.begin(), records.end(),
                   [](const json& a, const json& b) { return a.at("t").get<double>() < b.at("t").get<double>(); });
  return records;
}

using JsonFields = hv::JsonJobFields;

class RecordedNode {
 public:
  static constexpr double kReaction = 0.1;

  RecordedNode(const std::vector<json>& recording, const std::string& node, const FakeClock& clock)
      : clock_(clock) {
    for (const auto& r : recording) {
      if (r.value("node", "") == node) records_.push_back(r);
    }
  }

  double Now() const {
    return std::chrono::duration<double>(clock_.SteadyNow() - Clock::Steady{}).count();
  }
  double End() const { return records_.empty() ? 0 : T(records_.back()); }
  int opened() const { return opened_; }
  const std::vector<MigrationAction>& executed() const { return executed_; }

  // When the recorder first reached the node: where a replay starts.
  double Start() const {
    for (const auto& r : records_) {
      if (r.at("kind") == "connection" && r.at("up").get<bool>()) return T(r);
    }
    return 0;
  }
  // When the next event (or connection loss) is due after now; infinity if none.
  double NextEventTime() const {
    for (const auto& r : records_) {
      if (T(r) > Now() && IsDelivered(r)) return T(r);
    }
    return std::numeric_limits<double>::infinity();
  }
  // Moves the clock to `t` seconds (never back), a nanosecond past it so
  // that a steady deadline at t is due.
  void AdvanceTo(FakeClock& clock, double t) const {
    if (t > Now()) clock.Advance(t - Now() + 1e-9);
  }

  // Pushes every event recorded up to now into the queue of the open session,
  // if the watcher had one then (a closed connection delivers nothing).
  void DeliverEvents() {
    const double now = Now();
    for (const auto& r : records_) {
      const double t = T(r);
      if (t <= delivered_until_ || t > now || !IsDelivered(r)) continue;
      if (!queue_ || session_generation_ != GenerationAt(t - 1e-9)) continue;
      if (auto event = ToEvent(r)) queue_->Push(std::move(*event));
    }
    delivered_until_ = now;
  }

  hv::SessionOpener Opener() {
    return [this](const std::string&, std::shared_ptr<hv::EventQueue> queue,
                  std::string& error) -> std::unique_ptr<hv::NodeSession> {
      const int generation = GenerationAt(Now());
      if (generation < 0) {
        error = "connection refused (recorded: node down)";
        return nullptr;
      }
      ++opened_;
      queue_ = std::move(queue);
      session_generation_ = generation;
      delivered_until_ = Now();  // a new connection hears only what happens from now on
      return std::make_unique<Session>(*this, generation);
    };
  }

 private:
  class Session final : public hv::NodeSession {
   public:
    Session(RecordedNode& node, int generation) : node_(node), generation_(generation) {}
    bool Alive() const override { return node_.GenerationAt(node_.Now()) == generation_; }
    std::vector<hv::ActiveDomain> ListActiveDomains(std::string&) override {
      std::vector<hv::ActiveDomain> out;
      if (const json* r = node_.Last("domains", "")) {
        for (const auto& d : r->at("domains")) out.push_back({d.at("uuid"), d.at("name")});
      }
      return out;
    }
    bool HasDomain(const std::string& uuid) override { return node_.Known(uuid); }
    hv::JobQuery QueryJob(const std::string& uuid, SteadyTime now) override {
      hv::JobQuery q;
      const json* r = node_.Known(uuid) ? node_.Last("jobstats", uuid) : nullptr;
      if (!node_.Known(uuid)) {
        q.status = hv::JobQuery::Status::kNoDomain;
        q.error = "domain not found";
      } else if (r && r->contains("error")) {
        q.status = hv::JobErrorStatus(r->at("error").at("code"));
        q.error = r->at("error").value("message", "");
      } else {
        q.status = hv::JobQuery::Status::kOk;
        if (r) q.sample = node_.Sample(r->at("stats"), now);
      }
      return q;
    }
    std::optional<JobSample> CompletedJob(const std::string& uuid, SteadyTime now) override {
      const json* r = node_.Last("completedjob", uuid);
      if (!r || !r->contains("stats") || r->at("stats").value("type", 0) == hv::code::kJobNone) return std::nullopt;
      return node_.Sample(r->at("stats"), now);
    }
    DomainFacts Facts(const std::string& uuid) override {
      DomainFacts f;
      if (const json* d = node_.Listed(uuid)) {
        f.memory_bytes = d->at("memory_kib").get<uint64_t>() * 1024;
        f.persistent = d->at("persistent");
      }
      return f;
    }
    DomainSummary Summary(const std::string& uuid) override {
      DomainSummary s;
      s.uuid = uuid;
      if (const json* d = node_.Listed(uuid)) {
        s.name = d->at("name");
        s.memory_bytes = d->at("memory_kib").get<uint64_t>() * 1024;
        s.running = d->at("state") == hv::code::kStateRunning;
        s.state = hv::StateWord(d->at("state"));
        s.persistent = d->at("persistent");
      }
      return s;
    }
    std::optional<double> MaxDowntime(const std::string& uuid) override {
      const json* r = node_.Last("limits", uuid);
      if (!r) return std::nullopt;
      return r->at("max_downtime_ms").get<double>() / 1000.0;
    }
    std::optional<double> MaxSpeed(const std::string& uuid) override {
      const json* r = node_.Last("limits", uuid);
      if (!r) return std::nullopt;
      return hv::SpeedLimitBytes(r->at("max_speed_mib").get<uint64_t>());
    }
    bool Execute(const std::string&, const MigrationAction& action, std::string&) override {
      node_.executed_.push_back(action);
      return true;
    }
    hv::RunState State(const std::string& uuid) override {
      const json* r = node_.Known(uuid) ? node_.Last("state", uuid) : nullptr;
      if (!r || r->contains("error")) {
        hv::RunState s;
        s.kind = hv::RunState::Kind::kGone;
        s.detail = "domain not found";
        return s;
      }
      return hv::RunStateOf(r->at("state"), r->at("reason"));
    }
    std::optional<uint64_t> AvailableMemory() override {
      const json* r = node_.Last("connection", "");
      if (!r || !r->contains("available_memory")) return std::nullopt;
      return r->at("available_memory").get<uint64_t>();
    }

   private:
    RecordedNode& node_;
    const int generation_;
  };

  static double T(const json& r) { return r.at("t").get<double>(); }
  static bool IsDelivered(const json& r) {
    return r.at("kind") == "event" || (r.at("kind") == "connection" && !r.at("up").get<bool>());
  }

  // Records up to now are visible, and up to kReaction later short of the next event.
  double Horizon() const {
    const double now = Now();
    double horizon = now + kReaction;
    for (const auto& r : records_) {
      if (T(r) > now && IsDelivered(r)) {
        horizon = std::min(horizon, T(r));
        break;
      }
    }
    return horizon;
  }
  bool Visible(const json& r, double horizon) const { return T(r) <= Now() || T(r) < horizon; }

  // The latest visible record of `kind` (for `uuid`, when not empty).
  const json* Last(const std::string& kind, const std::string& uuid) const {
    const double horizon = Horizon();
    const json* found = nullptr;
    for (const auto& r : records_) {
      if (!Visible(r, horizon)) break;
      if (r.at("kind") == kind && (uuid.empty() || r.value("uuid", "") == uuid)) found = &r;
    }
    return found;
  }

  // The domain as the latest listing that has it shows it.
  const json* Listed(const std::string& uuid) const {
    const double horizon = Horizon();
    const json* found = nullptr;
    for (const auto& r : records_) {
      if (!Visible(r, horizon)) break;
      if (r.at("kind") != "domains") continue;
      for (const auto& d : r.at("domains")) {
        if (d.at("uuid") == uuid) found = &d;
      }
    }
    return found;
  }

  // Whether the node still knew the domain: its latest record says so.
  bool Known(const std::string& uuid) const {
    const double horizon = Horizon();
    bool known = false;
    for (const auto& r : records_) {
      if (!Visible(r, horizon)) break;
      const std::string kind = r.at("kind");
      if (kind == "domains") {
        for (const auto& d : r.at("domains")) known = known || d.at("uuid") == uuid;
        continue;
      }
      if (r.value("uuid", "") != uuid) continue;
      if (kind == "gone") known = false;
      if (kind == "jobstats" || kind == "state") {
        const bool not_found = r.contains("error") && (r.at("error").is_number()
                                                           ? r.at("error") == hv::code::kErrNoDomain
                                                           : r.at("error").at("code") == hv::code::kErrNoDomain);
        known = !not_found;
      }
    }
    return known;
  }

  // Index of the connection-up record in force at t; -1 while down.
  int GenerationAt(double t) const {
    int generation = -1;
    for (size_t i = 0; i < records_.size() && T(records_[i]) <= t; ++i) {
      if (records_[i].at("kind") != "connection") continue;
      generation = records_[i].at("up").get<bool>() ? static_cast<int>(i) : -1;
    }
    return generation;
  }

  JobSample Sample(const json& stats, SteadyTime now) const {
    return hv::JobSampleFrom(stats.value("type", 0), JsonFields(stats), now);
  }

  // The event as the live session would queue it; nullopt for a lifecycle
  // event it does not pass on.
  std::optional<hv::DomainEvent> ToEvent(const json& r) const {
    using K = hv::DomainEvent::Kind;
    hv::DomainEvent e{K::kStarted, r.value("uuid", ""), r.value("name", ""), 0, std::nullopt, {}};
    if (r.at("kind") == "connection") {
      e.kind = K::kConnectionClosed;
      e.detail = "end of file";
      return e;
    }
    const std::string event = r.at("event");
    if (event == "lifecycle") {
      const auto kind = hv::LifecycleKind(r.at("type"), r.at("detail"));
      if (!kind) return std::nullopt;
      e.kind = *kind;
    } else if (event == "migration-iteration") {
      e.kind = K::kIterationStarted;
      e.iteration = r.at("iteration");
    } else if (event == "job-completed") {
      e.kind = K::kJobCompleted;
      e.completed = hv::JobSampleFrom(hv::code::kJobCompleted, JsonFields(r.at("stats")), clock_.SteadyNow());
    } else {
      return std::nullopt;  // an event this reader does not know
    }
    return e;
  }

  const FakeClock& clock_;
  std::vector<json> records_;
  std::shared_ptr<hv::EventQueue> queue_;
  int session_generation_ = -1;
  double delivered_until_ = -1;
  int opened_ = 0;
  std::vector<MigrationAction> executed_;
};

}  // namespace migmon::testing_support

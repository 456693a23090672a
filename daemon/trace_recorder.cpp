#include "daemon/trace_recorder.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <vector>

#include "hypervisor/json_job_fields.h"
#include "util/log.h"

namespace migmon::app {
namespace {

namespace fs = std::filesystem;

// A file name from a node and a domain: what a folder listing can show.
std::string Safe(const std::string& text) {
  std::string out;
  for (char c : text) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') ? c : '_';
  return out.substr(0, 80);
}

double Seconds(Clock::Steady from, Clock::Steady to) {
  return std::round(std::chrono::duration<double>(to - from).count() * 1000.0) / 1000.0;
}

}  // namespace

TraceRecorder::TraceRecorder(TraceRecorderSettings settings, const Clock& clock,
                             std::function<void(const std::string&)> on_end)
    : settings_(std::move(settings)), clock_(clock), on_end_(std::move(on_end)) {}

TraceRecorder::~TraceRecorder() {
  std::lock_guard lock(mutex_);
  for (auto& [key, open] : open_) {
    if (open.file) std::fclose(open.file);
  }
}

void TraceRecorder::Write(Open& open, nlohmann::json record) {
  record["t"] = Seconds(open.started, clock_.SteadyNow());
  const std::string line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (std::fwrite(line.data(), 1, line.size(), open.file) != line.size() || std::fflush(open.file) != 0) {
    if (!warned_) log::Error("cannot write a migration trace", {{"path", open.path}});
    warned_ = true;
  }
}

void TraceRecorder::Prune() {
  std::error_code ec;
  std::vector<fs::directory_entry> files;
  for (const auto& e : fs::directory_iterator(settings_.folder, ec)) {
    if (e.path().extension() == ".jsonl") files.push_back(e);
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.last_write_time() > b.last_write_time();  // newest first
  });
  const auto too_old = fs::file_time_type::clock::now() - settings_.max_age;
  for (size_t i = 0; i < files.size(); ++i) {
    // The new migration's file is about to be one more.
    if (i + 1 >= settings_.max_files || files[i].last_write_time() < too_old) fs::remove(files[i].path(), ec);
  }
}

TraceRecorder::Open* TraceRecorder::Start(const DomainRef& domain, const DomainFacts& facts, const JobSample& sample) {
  std::string path;
  if (settings_.output_file) {
    path = *settings_.output_file;
  } else {
    std::error_code ec;
    fs::create_directories(settings_.folder, ec);
    Prune();
    const long long started = std::llround(clock_.Now() - sample.elapsed_seconds.value_or(0));
    path = settings_.folder + "/" + Safe(domain.node) + "_" + Safe(domain.name) + "_" + std::to_string(started) + ".jsonl";
  }
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (!file) {
    if (!warned_) log::Error("cannot open a migration trace; migrations are not recorded", {{"path", path}});
    warned_ = true;
    return nullptr;
  }
  Open& open = open_[{domain.node, domain.uuid}];
  open.file = file;
  open.path = path;
  // The trace's clock starts at the job's start, so t and time_elapsed agree.
  open.started = clock_.SteadyNow() - std::chrono::duration_cast<Clock::Steady::duration>(
                                          std::chrono::duration<double>(sample.elapsed_seconds.value_or(0)));
  const VmiName vmi = MapDomainName(domain.name, settings_.naming);
  Write(open, {{"kind", "meta"},
               {"format", "migmon-recording"},
               {"version", 1},
               {"source", settings_.output_file ? "record" : "monitor"},
               {"domain", {{"uuid", domain.uuid}, {"name", domain.name}, {"memory_kib", facts.memory_bytes / 1024}}},
               {"node", domain.node},
               {"namespace", vmi.name_space},
               {"vmi", vmi.name},
               {"poll_seconds", settings_.poll_seconds}});
  return &open;
}

void TraceRecorder::OutgoingSample(const DomainRef& domain, const DomainFacts& facts, const JobSample& sample,
                                   MigrationMode, bool at_iteration_event) {
  if (settings_.only_domain && domain.name != *settings_.only_domain) return;
  std::lock_guard lock(mutex_);
  auto it = open_.find({domain.node, domain.uuid});
  Open* open = it != open_.end() ? &it->second : Start(domain, facts, sample);
  if (!open) return;
  if (at_iteration_event && sample.memory_iteration) {
    Write(*open, {{"kind", "event"}, {"event", "migration-iteration"}, {"iteration", *sample.memory_iteration}});
  }
  if (!open->limits_written || open->downtime != sample.allowed_downtime_seconds ||
      open->speed != sample.bandwidth_limit_bytes_per_second) {
    open->limits_written = true;
    open->downtime = sample.allowed_downtime_seconds;
    open->speed = sample.bandwidth_limit_bytes_per_second;
    nlohmann::json limits = hv::LimitsJson(sample);
    limits["kind"] = "limits";
    Write(*open, std::move(limits));
  }
  Write(*open, {{"kind", "jobstats"}, {"stats", hv::JobStatsJson(sample)}});
}

void TraceRecorder::OutgoingEnded(const DomainRef& domain, const EndEvidence& evidence) {
  std::string path;
  {
    std::lock_guard lock(mutex_);
    auto it = open_.find({domain.node, domain.uuid});
    if (it == open_.end()) return;
    if (evidence.completed) Write(it->second, {{"kind", "completedjob"}, {"stats", hv::JobStatsJson(*evidence.completed)}});
    if (evidence.aborted_by_monitor) Write(it->second, {{"kind", "mark"}, {"what", "aborted by migration-monitor: " + *evidence.aborted_by_monitor}});
    std::fclose(it->second.file);
    path = it->second.path;
    open_.erase(it);
  }
  if (on_end_) on_end_(path);
}

void TraceRecorder::WriteDecision(const DomainRef& domain, nlohmann::json decision) {
  std::lock_guard lock(mutex_);
  auto it = open_.find({domain.node, domain.uuid});
  if (it == open_.end()) return;
  Write(it->second, std::move(decision));
}

namespace {
nlohmann::json Decision(const MigrationAction& action) {
  return {{"kind", "decision"}, {"action", ActionName(action.kind)}, {"reason", ReasonName(action.reason)},
          {"message", action.message}};
}
}  // namespace

void TraceRecorder::ActionDone(const DomainRef& domain, const MigrationAction& action, bool ok,
                               const std::string& error) {
  nlohmann::json d = Decision(action);
  d["ok"] = ok;
  if (!ok) d["error"] = error;
  WriteDecision(domain, std::move(d));
}

void TraceRecorder::WouldAct(const DomainRef& domain, const MigrationAction& action) {
  nlohmann::json d = Decision(action);
  d["dry_run"] = true;
  WriteDecision(domain, std::move(d));
}

}  // namespace migmon::app

// The recorded lab traces (tests/fixtures/traces/, listed in its README) and
// the perturbations the corpus test replays them under: thinned polls, no
// iteration events, a monitor restart with a fresh or a persisted history,
// noise on the levels. Each perturbation is a transformation of the steps a
// replay runs, so the enforcer's and the model's own code judge them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "daemon/trace_steps.h"
#include "enforcer/replay.h"
#include "trace/reader.h"

namespace migmon::testing_support {

struct CorpusTrace {
  std::string name;      // file name without .jsonl
  std::string set;       // the folder: "train", "holdout" or "holdout2"
  bool converges = false;
  app::TraceRun run;     // as recorded, events seen
  std::optional<double> pass2_start, pass3_start, pass3_length;  // job elapsed seconds
};

inline double Elapsed(const enforcer::ReplayStep& s) { return s.sample.elapsed_seconds.value_or(s.t); }

inline std::optional<double> PassStart(const app::TraceRun& run, uint64_t iteration) {
  for (const auto& s : run.steps) {
    if (s.sample.memory_iteration.value_or(0) >= iteration) return Elapsed(s);
  }
  return std::nullopt;
}

inline std::vector<CorpusTrace> LoadCorpus() {
  std::vector<CorpusTrace> out;
  const std::filesystem::path root = std::filesystem::path(MIGMON_SOURCE_DIR) / "tests/fixtures/traces";
  for (const char* set : {"train", "holdout", "holdout2"}) {
    if (!std::filesystem::is_directory(root / set)) continue;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(root / set)) {
      if (e.path().extension() == ".jsonl") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      const trace::Trace t = trace::ReadTraceFile(f.string());
      CorpusTrace c;
      c.name = f.stem().string();
      c.set = set;
      c.run = app::StepsOf(t, {});
      c.converges = t.meta.expect_converges.value_or(c.run.completed.value_or(false));
      c.pass2_start = PassStart(c.run, 2);
      c.pass3_start = PassStart(c.run, 3);
      if (const auto p4 = PassStart(c.run, 4); p4 && c.pass3_start) c.pass3_length = *p4 - *c.pass3_start;
      out.push_back(std::move(c));
    }
  }
  return out;
}

// A way to disturb a trace; `resume_at` is where a restarted monitor picks it up.
struct Perturbation {
  std::string name;
  double poll_seconds = 0.5;  // the interval between the samples it keeps
  bool restart = false;
  bool fresh = false;   // restart with a fresh history (else the persisted one)
  double at = 0;        // restart: fraction of the trace's length
  bool noisy = false;   // levels disturbed
  std::function<std::vector<enforcer::ReplayStep>(const std::vector<enforcer::ReplayStep>&)> apply;
};

inline constexpr double kRecordedPoll = 0.5;
inline constexpr double kRestartDowntime = 2.0;

inline std::vector<enforcer::ReplayStep> EveryNth(const std::vector<enforcer::ReplayStep>& steps, size_t n) {
  std::vector<enforcer::ReplayStep> out;
  for (size_t i = 0; i < steps.size(); i += n) out.push_back(steps[i]);
  return out;
}

inline std::vector<enforcer::ReplayStep> NoEvents(std::vector<enforcer::ReplayStep> steps) {
  for (auto& s : steps) s.at_event = false;
  return steps;
}

// The monitor is down for kRestartDowntime from `at` x the trace's length;
// a fresh history means the replay starts where it comes back.
inline std::vector<enforcer::ReplayStep> Restart(const std::vector<enforcer::ReplayStep>& steps, double at, bool fresh) {
  const double down = steps.front().t + at * (steps.back().t - steps.front().t);
  std::vector<enforcer::ReplayStep> out;
  for (const auto& s : steps) {
    if (s.t >= down && s.t < down + kRestartDowntime) continue;
    if (fresh && s.t < down) continue;
    out.push_back(s);
  }
  if (!out.empty()) out.front().at_event = out.front().at_event && !fresh;
  return out;
}

// Every level off by up to +-`fraction`, from a fixed seed.
inline std::vector<enforcer::ReplayStep> Noise(std::vector<enforcer::ReplayStep> steps, double fraction, uint32_t seed) {
  std::mt19937 rng(seed);
  for (auto& s : steps) {
    const double u = static_cast<double>(rng() % 20001) / 10000.0 - 1.0;  // -1..1
    auto jitter = [&](std::optional<uint64_t>& v) {
      if (v) v = static_cast<uint64_t>(static_cast<double>(*v) * (1.0 + fraction * u));
    };
    jitter(s.sample.data_remaining_bytes);
    jitter(s.sample.memory_remaining_bytes);
  }
  return steps;
}

inline std::vector<Perturbation> Perturbations() {
  using Steps = std::vector<enforcer::ReplayStep>;
  std::vector<Perturbation> p;
  p.push_back({"as recorded", kRecordedPoll, false, false, 0, false, [](const Steps& s) { return s; }});
  for (size_t n : {2, 4, 10}) {
    p.push_back({"every " + std::to_string(n) + "th sample", kRecordedPoll * static_cast<double>(n), false, false, 0,
                 false, [n](const Steps& s) { return EveryNth(s, n); }});
  }
  p.push_back({"no events", kRecordedPoll, false, false, 0, false, [](const Steps& s) { return NoEvents(s); }});
  p.push_back({"every 10th sample, no events", kRecordedPoll * 10, false, false, 0, false,
               [](const Steps& s) { return NoEvents(EveryNth(s, 10)); }});
  for (bool fresh : {true, false}) {
    for (double at : {0.3, 0.5, 0.7}) {
      p.push_back({std::string("restart at ") + std::to_string(static_cast<int>(at * 100)) + "%, " +
                       (fresh ? "fresh" : "persisted") + " history",
                   kRecordedPoll, true, fresh, at, false, [at, fresh](const Steps& s) { return Restart(s, at, fresh); }});
    }
  }
  for (uint32_t seed : {1u, 2u, 3u}) {
    p.push_back({"+-20% noise on levels (seed " + std::to_string(seed) + ")", kRecordedPoll, false, false, 0, true,
                 [seed](const Steps& s) { return Noise(s, 0.2, seed); }});
  }
  return p;
}

inline enforcer::Policy ProgressPolicy(int64_t timeout) {
  enforcer::Policy p;
  p.progress_timeout_seconds = timeout;
  p.completion_timeout_per_gib_seconds = 0;
  return p;
}

}  // namespace migmon::testing_support

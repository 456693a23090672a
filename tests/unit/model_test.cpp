// The per-migration model (tracker/model.h) on synthetic passes shaped like
// the lab's: what it predicts and when it says "will not converge".
#include <gtest/gtest.h>

#include "tracker/model.h"

namespace migmon {
namespace {

constexpr double MiB = 1024.0 * 1024.0;

// A pre-copy at `rate` bytes/s whose guest dirties `dirty` bytes/s, sampled
// every 0.5 s; passes start at what the previous one let be dirtied.
struct Simulated {
  double rate = 0, dirty = 0, memory = 0;
  double t = 0, sent = 0, level = 0, pass_started = 0;
  uint64_t iteration = 1;
  ModelState state;

  JobSample Sample() const {
    JobSample s;
    s.data_total_bytes = static_cast<uint64_t>(memory);
    s.data_remaining_bytes = static_cast<uint64_t>(level);
    s.data_processed_bytes = static_cast<uint64_t>(sent);
    s.memory_iteration = iteration;
    s.memory_bytes_per_second = rate;
    if (iteration >= 2) s.dirty_bytes_per_second = dirty;
    s.allowed_downtime_seconds = 0.3;
    return s;
  }
  // Advances 0.5 s; returns the prediction of the sample read then.
  Prediction Step() {
    t += 0.5;
    level -= rate * 0.5;
    sent += rate * 0.5;
    bool event = false;
    if (level <= rate * 0.3) {
      level = dirty * (t - pass_started);
      pass_started = t;
      ++iteration;
      event = true;
    }
    return UpdateModel(state, Sample(), t, event);
  }
};

Simulated Start(double rate, double dirty) {
  Simulated sim;
  sim.rate = rate;
  sim.dirty = dirty;
  sim.memory = sim.level = 48 * MiB;
  return sim;
}

TEST(Model, PredictsTheEndOfAConvergingGuest) {
  // 4 MiB/s, the guest dirties 2 MiB/s: passes halve. Run it to the end and
  // compare with what the model said during the second pass.
  Simulated sim = Start(4 * MiB, 2 * MiB);
  UpdateModel(sim.state, sim.Sample(), 0, true);
  std::optional<double> predicted_end;
  while (sim.level > 4 * MiB * 0.3 || sim.iteration < 3) {
    const Prediction p = sim.Step();
    if (sim.iteration == 2 && !predicted_end && sim.t - sim.pass_started >= 2) {
      ASSERT_TRUE(p.eta_seconds);
      EXPECT_EQ(Verdict::kConverges, p.verdict);
      EXPECT_NEAR(0.5, *p.ratio, 0.05);
      predicted_end = sim.t + *p.eta_seconds;
    }
    ASSERT_LT(sim.t, 120);
  }
  ASSERT_TRUE(predicted_end);
  EXPECT_NEAR(sim.t, *predicted_end, 0.1 * sim.t);
}

TEST(Model, AGuestAsFastAsTheLinkWillNotConvergeAfterTwoSeconds) {
  Simulated sim = Start(4 * MiB, 4 * MiB);
  UpdateModel(sim.state, sim.Sample(), 0, true);
  Prediction p;
  while (sim.iteration < 2) {
    p = sim.Step();
    EXPECT_EQ(Verdict::kUnknown, p.verdict) << "no dirty rate in the first pass";
  }
  const double second_pass = sim.t;
  while (sim.t < second_pass + 1.5) p = sim.Step();
  EXPECT_NE(Verdict::kWillNotConverge, p.verdict) << "not sustained yet";
  while (sim.t < second_pass + 2.0) p = sim.Step();
  EXPECT_EQ(Verdict::kWillNotConverge, p.verdict);
  EXPECT_FALSE(p.eta_seconds);
  EXPECT_NEAR(1.0, *p.ratio, 0.05);
}

TEST(Model, WhatFitsTheAllowedDowntimeConverges) {
  ModelState st;
  JobSample s;
  s.data_total_bytes = 64 * MiB;
  s.memory_iteration = 5;
  s.memory_bytes_per_second = 4 * MiB;
  s.dirty_bytes_per_second = 4 * MiB;
  s.allowed_downtime_seconds = 0.5;
  s.data_remaining_bytes = static_cast<uint64_t>(1.5 * MiB);  // under 4 MiB/s x 0.5 s
  const Prediction p = UpdateModel(st, s, 10, false);
  EXPECT_EQ(Verdict::kConverges, p.verdict);
  EXPECT_NEAR(1.5 / 4, *p.eta_seconds, 1e-9);
  EXPECT_NEAR(1.5 / 4, *p.switchover_seconds, 1e-9);
}

TEST(Model, NoPredictionDuringTheDiskPhaseOrWithoutALevel) {
  ModelState st;
  JobSample s;
  s.data_total_bytes = 0;
  s.data_remaining_bytes = 0;
  EXPECT_FALSE(UpdateModel(st, s, 1, false).transfer_bps);  // the job's first zeros
  s.data_total_bytes = 256 * MiB;
  s.data_remaining_bytes = 200 * MiB;
  s.memory_iteration = 0;
  s.memory_bytes_per_second = 8 * MiB;
  const Prediction p = UpdateModel(st, s, 2, false);
  EXPECT_TRUE(p.transfer_bps);
  EXPECT_FALSE(p.eta_seconds);
  EXPECT_EQ(Verdict::kUnknown, p.verdict);
}

}  // namespace
}  // namespace migmon

// A clock the test moves by hand. Thread-safe: the code under test may read
// it from its own threads while the test advances it.
#pragma once

#include <chrono>
#include <mutex>

#include "util/clock.h"

namespace migmon::testing_support {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(double unix_seconds = 1'700'000'000.0) : now_(unix_seconds) {}
  double Now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  Steady SteadyNow() const override {
    std::lock_guard lock(mutex_);
    return Steady{} + std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(elapsed_));
  }
  void Advance(double seconds) {
    std::lock_guard lock(mutex_);
    now_ += seconds;
    elapsed_ += seconds;
  }

 private:
  mutable std::mutex mutex_;
  double now_;
  double elapsed_ = 0;
};

}  // namespace migmon::testing_support

// The one clock interface: every reading of time that feeds a decision or a
// stored timestamp goes through a Clock, so tests drive time with a fake
// (tests/unit/fake_clock.h) instead of sleeping.
//
// Thread-safety: implementations are safe to call from any thread.
#pragma once

#include <chrono>

namespace migmon {

class Clock {
 public:
  using Steady = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  // Unix time in seconds: for stored timestamps and retention.
  virtual double Now() const = 0;
  // Monotonic time: for intervals, deadlines and rates.
  virtual Steady SteadyNow() const = 0;
};

// The real clocks of this machine.
class SystemClock final : public Clock {
 public:
  double Now() const override {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  }
  Steady SteadyNow() const override { return std::chrono::steady_clock::now(); }
};

// Unix seconds (Clock::Now) as a system_clock time point, for the
// interfaces that take one.
inline std::chrono::system_clock::time_point WallTimePoint(double unix_seconds) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::duration<double>(unix_seconds)));
}

// A process-wide SystemClock, for wiring (daemon/) and defaults.
inline const Clock& RealClock() {
  static const SystemClock clock;
  return clock;
}

}  // namespace migmon

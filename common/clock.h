// Clock: the one source of "now" for every timeout, retry, back-off and nudge.
//
// Production code takes a Clock& and never calls std::chrono::system_clock directly, so tests drive
// time with ManualClock instead of sleeping. Time is wall-clock milliseconds since the Unix epoch,
// because deadlines are stored in SQLite and must survive a restart. Both clocks are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace sagaflow {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::time_point<std::chrono::system_clock, Millis>;

inline int64_t ToEpochMillis(TimePoint t) {
  return t.time_since_epoch().count();
}
inline TimePoint FromEpochMillis(int64_t ms) {
  return TimePoint(Millis(ms));
}

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
};

// A clock that moves only when told to. Starts at a fixed, readable instant (2024-01-15T10:30:00Z).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = FromEpochMillis(1705314600000)) : now_ms_(ToEpochMillis(start)) {}
  TimePoint Now() const override { return FromEpochMillis(now_ms_.load()); }
  void Advance(Millis by) { now_ms_ += by.count(); }
  void Set(TimePoint t) { now_ms_ = ToEpochMillis(t); }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace sagaflow

#include "common/clock.h"

#include <gtest/gtest.h>

#include "common/time_format.h"

namespace sagaflow {
namespace {

TEST(ManualClock, StartsAtAFixedReadableInstant) {
  const ManualClock clock;
  EXPECT_EQ(FormatIso8601(clock.Now()), "2024-01-15T10:30:00.000Z");
}

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock;
  const TimePoint start = clock.Now();
  EXPECT_EQ(clock.Now(), start);
  clock.Advance(Millis(1500));
  EXPECT_EQ(clock.Now() - start, Millis(1500));
  clock.Set(FromEpochMillis(42));
  EXPECT_EQ(ToEpochMillis(clock.Now()), 42);
}

TEST(SystemClock, IsNearTheRealTime) {
  const SystemClock clock;
  const auto real = std::chrono::system_clock::now();
  const auto diff = clock.Now() - std::chrono::time_point_cast<Millis>(real);
  EXPECT_LT(std::chrono::abs(diff), std::chrono::seconds(60));
}

TEST(EpochMillis, RoundTrips) {
  EXPECT_EQ(ToEpochMillis(FromEpochMillis(1705314600123)), 1705314600123);
  EXPECT_EQ(ToEpochMillis(FromEpochMillis(-5)), -5);
}

}  // namespace
}  // namespace sagaflow

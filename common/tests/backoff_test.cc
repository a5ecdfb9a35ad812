#include "common/backoff.h"

#include <gtest/gtest.h>

namespace sagaflow {
namespace {

TEST(BackoffDelay, GrowsExponentiallyFromTheInitialDelay) {
  const BackoffPolicy policy{Millis(100), 2.0, Millis(100'000), 0.2};
  EXPECT_EQ(BackoffDelay(policy, 1, 0.0), Millis(100));
  EXPECT_EQ(BackoffDelay(policy, 2, 0.0), Millis(200));
  EXPECT_EQ(BackoffDelay(policy, 3, 0.0), Millis(400));
  EXPECT_EQ(BackoffDelay(policy, 4, 0.0), Millis(800));
  EXPECT_EQ(BackoffDelay(policy, 8, 0.0), Millis(12'800));
}

TEST(BackoffDelay, HonoursTheMultiplier) {
  const BackoffPolicy policy{Millis(10), 3.0, Millis(100'000), 0.0};
  EXPECT_EQ(BackoffDelay(policy, 1, 0.5), Millis(10));
  EXPECT_EQ(BackoffDelay(policy, 2, 0.5), Millis(30));
  EXPECT_EQ(BackoffDelay(policy, 3, 0.5), Millis(90));
}

TEST(BackoffDelay, IsCapped) {
  const BackoffPolicy policy{Millis(100), 2.0, Millis(1'000), 0.2};
  EXPECT_EQ(BackoffDelay(policy, 4, 0.0), Millis(800));
  EXPECT_EQ(BackoffDelay(policy, 5, 0.0), Millis(1'000));
  EXPECT_EQ(BackoffDelay(policy, 50, 0.0), Millis(1'000));
  EXPECT_EQ(BackoffDelay(policy, 100'000, 0.0), Millis(1'000));  // pow overflows to infinity: still the cap
}

TEST(BackoffDelay, TreatsAttemptsBelowOneAsTheFirst) {
  const BackoffPolicy policy{Millis(100), 2.0, Millis(1'000), 0.0};
  EXPECT_EQ(BackoffDelay(policy, 0, 0.0), Millis(100));
  EXPECT_EQ(BackoffDelay(policy, -3, 0.0), Millis(100));
}

TEST(BackoffDelay, JitterStaysWithinItsFraction) {
  const BackoffPolicy policy{Millis(1'000), 2.0, Millis(10'000), 0.2};
  EXPECT_EQ(BackoffDelay(policy, 1, 0.0), Millis(1'000));
  EXPECT_EQ(BackoffDelay(policy, 1, 0.5), Millis(900));
  for (int attempt = 1; attempt <= 10; ++attempt) {
    const Millis full = BackoffDelay(policy, attempt, 0.0);
    for (double unit = 0.0; unit < 1.0; unit += 0.01) {
      const Millis jittered = BackoffDelay(policy, attempt, unit);
      EXPECT_LE(jittered, full);
      EXPECT_GE(jittered.count(), static_cast<int64_t>(full.count() * 0.8)) << attempt << " " << unit;
    }
  }
}

TEST(BackoffDelay, ClampsARandomUnitOutsideZeroToOne) {
  const BackoffPolicy policy{Millis(1'000), 2.0, Millis(10'000), 0.2};
  EXPECT_EQ(BackoffDelay(policy, 1, -5.0), Millis(1'000));
  EXPECT_EQ(BackoffDelay(policy, 1, 7.0), Millis(800));
}

}  // namespace
}  // namespace sagaflow

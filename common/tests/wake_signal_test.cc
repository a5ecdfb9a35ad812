#include "common/wake_signal.h"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace sagaflow {
namespace {

TEST(WakeSignal, NotificationBeforeTheWaitIsNotLost) {
  WakeSignal signal;
  signal.Notify();
  EXPECT_TRUE(signal.WaitFor(Millis(0)));
}

TEST(WakeSignal, TimesOutWithoutNotification) {
  WakeSignal signal;
  EXPECT_FALSE(signal.WaitFor(Millis(0)));
  EXPECT_FALSE(signal.WaitFor(Millis(1)));
}

TEST(WakeSignal, WaitConsumesTheNotification) {
  WakeSignal signal;
  signal.Notify();
  signal.Notify();  // notifications collapse: one wait consumes both
  EXPECT_TRUE(signal.WaitFor(Millis(0)));
  EXPECT_FALSE(signal.WaitFor(Millis(0)));
}

TEST(WakeSignal, WakesAWaiterOnAnotherThread) {
  WakeSignal signal;
  bool woken = false;
  const auto start = std::chrono::steady_clock::now();
  std::thread waiter([&] { woken = signal.WaitFor(std::chrono::minutes(2)); });
  signal.Notify();
  waiter.join();
  EXPECT_TRUE(woken);
  // Woken by the notification, not by the two-minute timeout.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

}  // namespace
}  // namespace sagaflow

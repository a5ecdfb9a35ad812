// Eventually: polls a condition until it holds or a deadline passes, for tests of effects that happen on
// another thread or process. Tests synchronize on conditions like this, never on a sleep.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace sagaflow::testing {

inline bool Eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10),
                       std::chrono::milliseconds interval = std::chrono::milliseconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(interval);  // the polling interval, not a synchronization
  }
}

}  // namespace sagaflow::testing

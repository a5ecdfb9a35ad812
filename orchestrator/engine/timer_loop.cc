#include "orchestrator/engine/timer_loop.h"

#include <algorithm>

namespace sagaflow::engine {

void TimerLoop::Start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] {
    while (running_) {
      auto fired = manager_.FireDueTimers();
      if (!fired.ok()) logger_->error("timer pass failed: {}", fired.status().ToString());
      Millis sleep = max_sleep_;
      auto earliest = manager_.EarliestDeadline();
      if (earliest.ok() && earliest->has_value()) {
        sleep = std::clamp(std::chrono::duration_cast<Millis>(**earliest - clock_.Now()), Millis(1), max_sleep_);
      }
      wake_.WaitFor(sleep);
    }
  });
}

void TimerLoop::Stop() {
  if (!running_.exchange(false)) return;
  wake_.Notify();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sagaflow::engine

#include "orchestrator/engine/timer_loop.h"

#include <algorithm>

namespace sagaflow::engine {

TimerLoop::TimerLoop(SagaManager& manager, const Clock& clock, Logger logger, Millis max_sleep)
    : manager_(manager),
      clock_(clock),
      max_sleep_(max_sleep),
      task_(
          {.name = "timers",
           .interval = max_sleep,
           .failure_backoff = {.initial = max_sleep, .multiplier = 1, .cap = max_sleep, .jitter = 0}},
          [this] { return RunOnce(); }, std::move(logger), nullptr, nullptr) {}

Result<NextPass> TimerLoop::RunOnce() {
  auto fired = manager_.FireDueTimers();
  if (!fired.ok()) return fired.status();
  auto earliest = manager_.EarliestDeadline();
  if (!earliest.ok()) return earliest.status();
  if (!earliest->has_value()) return NextPass::AtInterval();
  return NextPass::After(
      std::clamp(std::chrono::duration_cast<Millis>(**earliest - clock_.Now()), Millis(1), max_sleep_));
}

}  // namespace sagaflow::engine

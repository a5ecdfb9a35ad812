// TimerLoop: fires due step deadlines from the database, during normal running and after a restart.
//
// Deadlines live in saga_steps (indexed), so nothing is lost when the process dies: the first pass
// after a restart handles everything that fell due meanwhile. The loop sleeps until the earliest
// deadline, at most `max_sleep`, and is woken early by Wake(). Start/Stop own the thread.
#pragma once

#include <atomic>
#include <thread>

#include "common/wake_signal.h"
#include "orchestrator/engine/saga_manager.h"

namespace sagaflow::engine {

class TimerLoop {
 public:
  TimerLoop(SagaManager& manager, const Clock& clock, Logger logger, Millis max_sleep = Millis(200))
      : manager_(manager), clock_(clock), logger_(std::move(logger)), max_sleep_(max_sleep) {}
  ~TimerLoop() { Stop(); }

  void Start();
  void Stop();
  void Wake() { wake_.Notify(); }

 private:
  SagaManager& manager_;
  const Clock& clock_;
  Logger logger_;
  Millis max_sleep_;
  std::atomic<bool> running_{false};
  WakeSignal wake_;
  std::thread thread_;
};

}  // namespace sagaflow::engine

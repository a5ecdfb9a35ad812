// TimerLoop: fires due step deadlines from the database, during normal running and after a restart.
//
// Deadlines live in saga_steps (indexed), so nothing is lost when the process dies: the first pass
// after a restart handles everything that fell due meanwhile. The loop sleeps until the earliest
// deadline, at most `max_sleep`, and is woken early by Wake(); a failed pass is tried again after
// `max_sleep`. Start/Stop own the thread (a PeriodicTask named "timers").
#pragma once

#include "common/periodic_task.h"
#include "orchestrator/engine/saga_manager.h"

namespace sagaflow::engine {

class TimerLoop {
 public:
  TimerLoop(SagaManager& manager, const Clock& clock, Logger logger, Millis max_sleep = Millis(200));

  void Start() { task_.Start(); }
  void Stop() { task_.Stop(); }
  void Wake() { task_.Wake(); }
  // One pass: fires what is due and says how long to sleep (until the earliest deadline, at most max_sleep).
  Result<NextPass> RunOnce();

 private:
  SagaManager& manager_;
  const Clock& clock_;
  Millis max_sleep_;
  PeriodicTask task_;
};

}  // namespace sagaflow::engine

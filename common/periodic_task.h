// PeriodicTask: one named background thread that runs a pass, sleeps, and runs it again until stopped. Every
// background job of a process is written on it: timers, outbox relays, nudges, reconnects, clean-up.
//
// A pass says when it wants to run next: at once (it stopped at a batch limit and more is waiting), after a
// delay it computed from the injected clock (until the earliest deadline), or after the task's interval. A
// failed pass is logged under the task's name (the first failure in a row and every 50th) and retried with
// exponential back-off; the first success after failures is logged too. Wake() cuts the current sleep short,
// and a wake-up that arrives during a pass is kept, so none is lost. Stop() returns once the current pass has
// ended; Start() after Stop() starts again. Passes and failures are counted in
// sagaflow_task_passes_total{task="<name>"} and sagaflow_task_failures_total{task="<name>"}.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "common/backoff.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/random.h"
#include "common/status.h"
#include "common/wake_signal.h"

namespace sagaflow {

// What a successful pass asks for.
class NextPass {
 public:
  static NextPass Now() { return NextPass(Millis(0)); }
  static NextPass After(Millis delay) { return NextPass(std::max(delay, Millis(0))); }
  static NextPass AtInterval() { return NextPass(std::nullopt); }
  // The delay asked for; nullopt: the task's interval.
  std::optional<Millis> delay() const { return delay_; }

 private:
  explicit NextPass(std::optional<Millis> delay) : delay_(delay) {}
  std::optional<Millis> delay_;
};

struct PeriodicTaskOptions {
  std::string name;  // in logs, metrics and the thread's name ("outbox relay", "timers")
  Millis interval{1000};
  BackoffPolicy failure_backoff{};
  // Sleep on this signal instead of the task's own, so that others wake the task by notifying it (the outbox
  // notifies one on every append). It must outlive the task.
  WakeSignal* wake_signal = nullptr;
};

class PeriodicTask {
 public:
  using Pass = std::function<Result<NextPass>()>;

  // `metrics` may be null (no counts); `random` jitters the back-off after failures and may be null (none).
  PeriodicTask(PeriodicTaskOptions options, Pass pass, Logger logger, Metrics* metrics, RandomSource* random);
  ~PeriodicTask() { Stop(); }
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  void Start();
  void Stop();
  void Wake() { wake_.Notify(); }
  const std::string& name() const { return options_.name; }

  // The sleep after a pass that ended with `outcome`, `failures` failed passes in a row (counting this one).
  static Millis SleepAfter(const PeriodicTaskOptions& options, const Result<NextPass>& outcome, int failures,
                           double random_unit);

 private:
  void Loop();
  // Runs one pass, logs and counts it; returns how long to sleep.
  Millis RunPass(int& failures);

  PeriodicTaskOptions options_;
  // The metric series of this task, made once: a pass runs often (the relay's, once per batch).
  std::string passes_series_;
  std::string failures_series_;
  Pass pass_;
  Logger logger_;
  Metrics* metrics_;
  RandomSource* random_;
  std::atomic<bool> running_{false};
  WakeSignal own_wake_;
  WakeSignal& wake_;  // own_wake_ or options_.wake_signal
  std::thread thread_;
};

}  // namespace sagaflow

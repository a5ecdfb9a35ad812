#include "common/periodic_task.h"

#include <pthread.h>

#include <algorithm>

namespace sagaflow {

namespace {

// Linux limits a thread's name to 15 characters; `top -H` and perf show it.
void NameThisThread(const std::string& name) {
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

}  // namespace

PeriodicTask::PeriodicTask(PeriodicTaskOptions options, Pass pass, Logger logger, Metrics* metrics,
                           RandomSource* random)
    : options_(std::move(options)),
      passes_series_("sagaflow_task_passes_total{task=\"" + PromLabel(options_.name) + "\"}"),
      failures_series_("sagaflow_task_failures_total{task=\"" + PromLabel(options_.name) + "\"}"),
      pass_(std::move(pass)),
      logger_(std::move(logger)),
      metrics_(metrics),
      random_(random),
      wake_(options_.wake_signal != nullptr ? *options_.wake_signal : own_wake_) {
  if (metrics_ != nullptr) {
    metrics_->Describe("sagaflow_task_passes_total", "counter", "Passes of each background task");
    metrics_->Describe("sagaflow_task_failures_total", "counter", "Failed passes of each background task");
  }
}

Millis PeriodicTask::SleepAfter(const PeriodicTaskOptions& options, const Result<NextPass>& outcome, int failures,
                                double random_unit) {
  if (!outcome.ok()) return BackoffDelay(options.failure_backoff, std::max(failures, 1), random_unit);
  return outcome->delay().value_or(options.interval);
}

void PeriodicTask::Start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicTask::Stop() {
  if (!running_.exchange(false)) return;
  wake_.Notify();
  if (thread_.joinable()) thread_.join();
}

void PeriodicTask::Loop() {
  NameThisThread(options_.name);
  int failures = 0;
  while (running_) {
    const Millis sleep = RunPass(failures);
    if (sleep > Millis(0) && running_) wake_.WaitFor(sleep);
  }
}

Millis PeriodicTask::RunPass(int& failures) {
  const Result<NextPass> outcome = pass_();
  if (metrics_ != nullptr) metrics_->Add(passes_series_);
  if (outcome.ok()) {
    if (failures > 0) logger_->info("{}: working again after {} failed attempts", options_.name, failures);
    failures = 0;
  } else {
    ++failures;
    if (metrics_ != nullptr) metrics_->Add(failures_series_);
    if (failures == 1 || failures % 50 == 0) {
      logger_->warn("{}: {} (attempt {})", options_.name, outcome.status().message(), failures);
    }
  }
  return SleepAfter(options_, outcome, failures, random_ != nullptr ? random_->NextUnit() : 0);
}

}  // namespace sagaflow

#include "console/saga_rates.h"

namespace sagaflow::console {

namespace {

// Increase per second from `before` to `after` over `seconds`; after a reset (a restart), `after` itself.
double Rate(double before, double after, double seconds) {
  const double increase = after >= before ? after - before : after;
  return increase / seconds;
}

}  // namespace

void SagaRates::Add(TimePoint at, const MetricSamples& samples) {
  const Counters counters{at, SampleOr0(samples, "sagaflow_sagas_started_total"),
                          SampleOr0(samples, R"(sagaflow_sagas_finished_total{state="COMPLETED"})"),
                          SampleOr0(samples, R"(sagaflow_sagas_finished_total{state="CANCELLED"})"),
                          SampleOr0(samples, R"(sagaflow_sagas_finished_total{state="FAILED"})")};
  std::lock_guard lock(mutex_);
  if (!samples_.empty() && at <= samples_.back().at) return;  // the clock must move for a rate to mean anything
  samples_.push_back(counters);
  // One sample older than the window stays, as the start of the window's first interval.
  while (samples_.size() > 2 && samples_[1].at <= at - window_) samples_.pop_front();
}

std::vector<RatePoint> SagaRates::Points() const {
  std::lock_guard lock(mutex_);
  std::vector<RatePoint> points;
  for (size_t i = 1; i < samples_.size(); ++i) {
    const Counters& before = samples_[i - 1];
    const Counters& after = samples_[i];
    const double seconds = std::chrono::duration<double>(after.at - before.at).count();
    points.push_back({after.at, Rate(before.started, after.started, seconds),
                      Rate(before.completed, after.completed, seconds),
                      Rate(before.cancelled, after.cancelled, seconds), Rate(before.failed, after.failed, seconds)});
  }
  return points;
}

}  // namespace sagaflow::console

// SagaRates: the orchestrator's saga counters, sampled over time, turned into the rates the overview charts: sagas
// started, completed, cancelled and failed per second, between each two samples of the last `window`.
//
// A counter that goes down means the orchestrator restarted and counts from 0 again; the rate over that interval
// is then its new value over the interval, so a restart shows neither a negative rate nor a spike. Thread-safe: the
// scraper adds, HTTP threads read.
#pragma once

#include <deque>
#include <mutex>
#include <vector>

#include "common/clock.h"
#include "console/prometheus_text.h"

namespace sagaflow::console {

struct RatePoint {
  TimePoint at;  // the end of the interval
  double started = 0;
  double completed = 0;
  double cancelled = 0;
  double failed = 0;
};

class SagaRates {
 public:
  explicit SagaRates(Millis window) : window_(window) {}

  // One scrape of the orchestrator's /metrics at `at`; samples older than the window are dropped.
  void Add(TimePoint at, const MetricSamples& samples);
  // One point per interval between consecutive samples, oldest first.
  std::vector<RatePoint> Points() const;

 private:
  struct Counters {
    TimePoint at;
    double started, completed, cancelled, failed;
  };

  const Millis window_;
  mutable std::mutex mutex_;
  std::deque<Counters> samples_;
};

}  // namespace sagaflow::console

// SummarizeRss: what one process's resident memory did over a run, from samples taken about once a
// second: its size at the end of the warm-up (the first minute, or the first 10% of a shorter run), at
// the end and at its largest, and a coarse timeline for the JSON report. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace sagaflow::bench {

struct RssSample {
  double seconds = 0;  // since the run started
  int64_t kb = 0;      // VmRSS
};

struct RssSummary {
  bool ok = false;  // false when there was no sample
  double mark_seconds = 0;
  int64_t at_mark_kb = 0;  // the last sample at or before mark_seconds (the first sample if none)
  int64_t end_kb = 0;      // the last sample
  int64_t max_kb = 0;
  int64_t growth_kb = 0;  // end_kb - at_mark_kb
  double timeline_interval_seconds = 0;
  std::vector<int64_t> timeline_kb;  // at 0, interval, 2 x interval, ... up to the last sample
};

// The end of the warm-up: one minute, or a tenth of a shorter run.
double WarmupSeconds(double run_seconds);

// `samples` in time order. A timeline entry is the last sample at or before its time.
RssSummary SummarizeRss(const std::vector<RssSample>& samples, double run_seconds, double timeline_interval_seconds);

}  // namespace sagaflow::bench

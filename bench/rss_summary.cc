#include "bench/rss_summary.h"

#include <algorithm>

namespace sagaflow::bench {

namespace {

// The last sample at or before `seconds`, or the first sample when every sample is later.
int64_t KbAt(const std::vector<RssSample>& samples, double seconds) {
  auto after = std::upper_bound(samples.begin(), samples.end(), seconds,
                                [](double t, const RssSample& sample) { return t < sample.seconds; });
  return after == samples.begin() ? samples.front().kb : std::prev(after)->kb;
}

}  // namespace

double WarmupSeconds(double run_seconds) {
  return std::min(60.0, run_seconds / 10);
}

RssSummary SummarizeRss(const std::vector<RssSample>& samples, double run_seconds, double timeline_interval_seconds) {
  RssSummary summary;
  if (samples.empty()) return summary;
  summary.ok = true;
  summary.mark_seconds = WarmupSeconds(run_seconds);
  summary.at_mark_kb = KbAt(samples, summary.mark_seconds);
  summary.end_kb = samples.back().kb;
  for (const auto& sample : samples) summary.max_kb = std::max(summary.max_kb, sample.kb);
  summary.growth_kb = summary.end_kb - summary.at_mark_kb;
  summary.timeline_interval_seconds = timeline_interval_seconds;
  if (timeline_interval_seconds > 0) {
    for (int step = 0; step * timeline_interval_seconds <= samples.back().seconds; ++step) {
      summary.timeline_kb.push_back(KbAt(samples, step * timeline_interval_seconds));
    }
  }
  return summary;
}

}  // namespace sagaflow::bench

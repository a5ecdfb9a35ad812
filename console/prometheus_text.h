// The samples of a Prometheus text exposition (what every sagaflow process serves on /metrics), keyed by the series
// as written: `sagaflow_sagas_finished_total{state="COMPLETED"}`. Comment lines, and lines whose value is not a
// number, are skipped: the console shows what it can read and nothing it cannot.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace sagaflow::console {

using MetricSamples = std::map<std::string, double, std::less<>>;

MetricSamples ParsePrometheusText(std::string_view text);

// The sample's value, or 0 if the series is absent (a counter not yet incremented is not written).
double SampleOr0(const MetricSamples& samples, std::string_view series);

}  // namespace sagaflow::console

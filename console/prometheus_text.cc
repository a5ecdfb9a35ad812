#include "console/prometheus_text.h"

#include <charconv>

namespace sagaflow::console {

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// "name{labels} value [timestamp]": the series ends at the last space outside the braces.
void AddLine(std::string_view line, MetricSamples& samples) {
  line = Trim(line);
  if (line.empty() || line.front() == '#') return;
  const size_t brace = line.find('}');
  const size_t series_end = line.find(' ', brace == std::string_view::npos ? 0 : brace);
  if (series_end == std::string_view::npos) return;
  std::string_view value = Trim(line.substr(series_end + 1));
  value = value.substr(0, value.find(' '));  // a timestamp may follow
  double parsed = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (error != std::errc() || end != value.data() + value.size()) return;
  samples.insert_or_assign(std::string(line.substr(0, series_end)), parsed);
}

}  // namespace

MetricSamples ParsePrometheusText(std::string_view text) {
  MetricSamples samples;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    AddLine(text.substr(0, newline), samples);
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return samples;
}

double SampleOr0(const MetricSamples& samples, std::string_view series) {
  auto found = samples.find(series);
  return found == samples.end() ? 0 : found->second;
}

}  // namespace sagaflow::console

#include "common/metrics.h"

#include <cmath>
#include <cstdio>

namespace sagaflow {

namespace {

std::string FamilyOf(const std::string& series) {
  return series.substr(0, series.find('{'));
}

std::string FormatValue(double value) {
  if (std::floor(value) == value && std::fabs(value) < 1e15) return std::to_string(static_cast<long long>(value));
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.6g", value);
  return buf;
}

}  // namespace

void Metrics::Describe(const std::string& family, const std::string& type, const std::string& help) {
  std::lock_guard lock(mu_);
  families_[family] = {type, help};
}

void Metrics::Add(const std::string& series, double delta) {
  std::lock_guard lock(mu_);
  series_[series] += delta;
}

void Metrics::Set(const std::string& series, double value) {
  std::lock_guard lock(mu_);
  series_[series] = value;
}

double Metrics::Get(const std::string& series) const {
  std::lock_guard lock(mu_);
  auto it = series_.find(series);
  return it == series_.end() ? 0 : it->second;
}

void Metrics::AddCollector(std::function<void(Metrics&)> collector) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::Render() {
  std::vector<std::function<void(Metrics&)>> collectors;
  {
    std::lock_guard lock(mu_);
    collectors = collectors_;
  }
  for (auto& collect : collectors) collect(*this);

  std::lock_guard lock(mu_);
  // Grouped by family first: in plain series order "a" < "a_b" < "a{...}" would split family "a".
  std::map<std::string, std::string> lines_by_family;
  for (const auto& [series, value] : series_) {
    lines_by_family[FamilyOf(series)] += series + " " + FormatValue(value) + "\n";
  }
  std::string out;
  for (const auto& [family, lines] : lines_by_family) {
    auto it = families_.find(family);
    if (it != families_.end()) {
      out += "# HELP " + family + " " + it->second.help + "\n";
      out += "# TYPE " + family + " " + it->second.type + "\n";
    }
    out += lines;
  }
  return out;
}

std::string PromLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace sagaflow

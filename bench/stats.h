// Measurements for the benchmark: latency samples with percentiles, and a process's CPU time and its
// current and peak memory read from /proc. Not thread-safe; each thread records into its own Samples and they are
// merged.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sagaflow::bench {

class Samples {
 public:
  void Add(double value) { values_.push_back(value); }
  void Merge(const Samples& other) { values_.insert(values_.end(), other.values_.begin(), other.values_.end()); }
  size_t count() const { return values_.size(); }
  // The q-quantile (0..1) by nearest rank; 0 when empty. Sorts on first use.
  double Quantile(double q);
  double Max();

 private:
  std::vector<double> values_;
  bool sorted_ = false;
};

struct ProcessStats {
  double cpu_seconds = 0;   // user + system
  int64_t peak_rss_kb = 0;  // VmHWM
  int64_t rss_kb = 0;       // VmRSS, now
  bool ok = false;
};

ProcessStats ReadProcessStats(pid_t pid);

}  // namespace sagaflow::bench

// Measurements for the benchmark: latency samples with percentiles, and a process's CPU time, its
// current and peak memory, its I/O system calls and its context switches, read from /proc. Not thread-safe; each thread
// records into its own Samples and they are merged.
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
  // read- and write-like system calls (recv, pread, writev, pwrite... : syscr + syscw of /proc/<pid>/io); waits
  // (futex, poll) are not counted there.
  int64_t io_syscalls = 0;
  // Voluntary and involuntary, summed over the threads alive now (each service's threads live as long as it).
  int64_t context_switches = 0;
  bool ok = false;
};

ProcessStats ReadProcessStats(pid_t pid);

}  // namespace sagaflow::bench

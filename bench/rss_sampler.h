// RssSampler: reads the resident memory (VmRSS, /proc/<pid>/status) of a set of processes once per
// period on its own thread, from Start() until Stop(), so that a run's memory over time can be summarized
// (bench/rss_summary.h). A process that has gone is simply not sampled. Start, Stop and the accessors
// are for one thread; the samples are complete once Stop() returned.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/rss_summary.h"

namespace sagaflow::bench {

class RssSampler {
 public:
  RssSampler(std::map<std::string, pid_t> pids, std::chrono::milliseconds period)
      : pids_(std::move(pids)), period_(period) {}
  ~RssSampler() { Stop(); }
  RssSampler(const RssSampler&) = delete;
  RssSampler& operator=(const RssSampler&) = delete;

  // Takes a first sample at once, then one per period.
  void Start();
  // Takes a last sample, so that "at the end" is the end of the run.
  void Stop();

  double seconds() const { return std::chrono::duration<double>(stopped_at_ - started_at_).count(); }
  const std::map<std::string, std::vector<RssSample>>& samples() const { return samples_; }

 private:
  void SampleAll();

  const std::map<std::string, pid_t> pids_;
  const std::chrono::milliseconds period_;
  std::chrono::steady_clock::time_point started_at_, stopped_at_;
  std::map<std::string, std::vector<RssSample>> samples_;  // written by the thread until Stop joined it
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // under mu_
  std::thread thread_;
};

}  // namespace sagaflow::bench

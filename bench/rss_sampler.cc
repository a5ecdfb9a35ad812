#include "bench/rss_sampler.h"

#include "bench/stats.h"

namespace sagaflow::bench {

void RssSampler::Start() {
  started_at_ = stopped_at_ = std::chrono::steady_clock::now();
  SampleAll();
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    auto next = started_at_ + period_;
    // The period is the sampling rate, not a synchronization; Stop() interrupts the wait.
    while (!wake_.wait_until(lock, next, [this] { return stopping_; })) {
      lock.unlock();
      SampleAll();
      lock.lock();
      next += period_;
    }
  });
}

void RssSampler::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  SampleAll();
  stopped_at_ = std::chrono::steady_clock::now();
}

void RssSampler::SampleAll() {
  const double at = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at_).count();
  for (const auto& [name, pid] : pids_) {
    const ProcessStats stats = ReadProcessStats(pid);
    if (stats.ok && stats.rss_kb > 0) samples_[name].push_back({at, stats.rss_kb});
  }
}

}  // namespace sagaflow::bench

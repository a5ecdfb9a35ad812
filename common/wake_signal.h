// WakeSignal: lets one thread sleep until another has news, without polling.
//
// Notify() from any thread; WaitFor() returns true at once if a notification arrived since the last
// wait (notifications are sticky, so none is lost between a check and a wait), else after `timeout`.
#pragma once

#include <condition_variable>
#include <mutex>

#include "common/clock.h"

namespace sagaflow {

class WakeSignal {
 public:
  void Notify() {
    {
      std::lock_guard lock(mu_);
      pending_ = true;
    }
    cv_.notify_all();
  }

  // Returns true if woken by Notify, false on timeout. Consumes the notification.
  bool WaitFor(Millis timeout) {
    std::unique_lock lock(mu_);
    const bool woken = cv_.wait_for(lock, timeout, [this] { return pending_; });
    pending_ = false;
    return woken;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false;
};

}  // namespace sagaflow

#include "common/backoff.h"

#include <algorithm>
#include <cmath>

namespace sagaflow {

Millis BackoffDelay(const BackoffPolicy& policy, int attempt, double random_unit) {
  const int exponent = std::max(0, attempt - 1);
  double delay = static_cast<double>(policy.initial.count()) * std::pow(policy.multiplier, exponent);
  delay = std::min(delay, static_cast<double>(policy.cap.count()));
  const double unit = std::clamp(random_unit, 0.0, 1.0);
  delay -= delay * policy.jitter * unit;
  return Millis(static_cast<int64_t>(std::max(delay, 0.0)));
}

}  // namespace sagaflow

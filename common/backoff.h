// Exponential back-off with jitter and a cap, as a pure function of the attempt number.
//
// Used for step retries, compensation retries, the nudge and reconnects. The caller supplies the random
// unit in [0, 1) so that tests can pin it.
#pragma once

#include "common/clock.h"

namespace sagaflow {

struct BackoffPolicy {
  Millis initial{100};
  double multiplier = 2.0;
  Millis cap{10'000};
  // Fraction of the delay that is randomized: 0.2 spreads a 1000 ms delay over [800, 1000] ms.
  double jitter = 0.2;
};

// Delay before retry number `attempt` (1 = the first retry): initial * multiplier^(attempt-1), capped,
// then reduced by up to `jitter` of itself.
Millis BackoffDelay(const BackoffPolicy& policy, int attempt, double random_unit);

}  // namespace sagaflow

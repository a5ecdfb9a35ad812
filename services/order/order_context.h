// OrderContext: what the order service's parts share, built once by main and passed by reference.
#pragma once

#include "common/clock.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/random.h"
#include "storage/database.h"
#include "storage/outbox.h"

namespace sagaflow::order {

struct OrderContext {
  storage::Database& db;
  storage::Outbox& outbox;
  const Clock& clock;
  RandomSource& random;
  Metrics& metrics;
  Logger logger;
  // An order not terminal and not updated for this long has its orders/created published again.
  Millis nudge_after{30'000};
};

}  // namespace sagaflow::order

// Nudger: re-publishes orders/created for orders that stay non-terminal, with back-off.
//
// MQTT gives no end-to-end guarantee (the broker acknowledges from memory), so the order service,
// which owns the order, keeps asking until the order is terminal: an order not updated for
// nudge_after has its orders/created appended to the outbox again (a new messageId, the same
// orderId); the orchestrator ignores it for a running saga and re-publishes the outcome of a finished
// one. The scan uses the partial index on orders.nudge_at. A PeriodicTask ("nudger") runs a pass every quarter
// of nudge_after (10 ms to 1 s); RunOnce() is one pass, for tests.
#pragma once

#include "common/backoff.h"
#include "common/periodic_task.h"
#include "services/order/order_context.h"

namespace sagaflow::order {

class Nudger {
 public:
  explicit Nudger(OrderContext& context);

  // Re-publishes every order that is due now; returns how many.
  Result<size_t> RunOnce();
  void Start() { task_.Start(); }
  void Stop() { task_.Stop(); }

 private:
  OrderContext& context_;
  BackoffPolicy backoff_;
  PeriodicTask task_;
};

}  // namespace sagaflow::order

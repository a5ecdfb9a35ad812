// The order saga: one stage in which payment and inventory run in parallel (as in the seed), each
// undone by its compensation (refund, release) when the other fails; then the outcome
// (orders/completed or orders/cancelled with the first failure's reason) is published until the
// notification service acknowledges it on notifications/sent. Progress that changes the order's status
// (saga_started -> PROCESSING, compensating, failed) goes to orders/progress for the order service's
// status and history; step events without a status are not published, as each message costs the order
// service a commit (docs/benchmarks.md). An orders/created the saga cannot run (e.g. a total above
// kMaxOrderTotalCents, stored before the API refused such totals) cancels the order with kInvalidOrderReason
// rather than being dead-lettered, so the order service stops nudging it and the customer learns why.
// This file is the only place that knows orders; the engine does not.
#pragma once

#include <string_view>

#include "orchestrator/engine/saga_definition.h"

namespace sagaflow::order_saga {

// The reason of an order cancelled because its orders/created could not start a saga.
inline constexpr std::string_view kInvalidOrderReason = "invalid_order";

struct OrderSagaOptions {
  Millis step_timeout{10'000};
  int step_attempts = 4;
  int compensation_attempts = 20;
};

engine::SagaDefinition MakeOrderSaga(const OrderSagaOptions& options);

}  // namespace sagaflow::order_saga

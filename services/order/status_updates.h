// StatusUpdates: applies the orchestrator's events to orders (orders/completed, orders/cancelled,
// orders/progress), each inside the Consumer's transaction for that message. A progress event goes into the
// history as "<event>" or, when it carries a reason, "<event>: <reason>" (as "cancelled: <reason>" does).
//
// Idempotent: history entries are unique per (order, event) and status only moves forward (order.h),
// so a redelivered or re-published outcome changes nothing. An event for an unknown order is rejected
// (dead-lettered). A non-terminal update pushes the order's nudge deadline out; a terminal one clears it.
#pragma once

#include "messaging/consumer.h"
#include "services/order/order_context.h"

namespace sagaflow::order {

class StatusUpdates {
 public:
  explicit StatusUpdates(OrderContext& context) : context_(context) {}

  // Registers the handlers for the three topics.
  Status Register(messaging::Consumer& consumer);

  Status OnCompleted(storage::UnitOfWork& uow, const messaging::Envelope& message);
  Status OnCancelled(storage::UnitOfWork& uow, const messaging::Envelope& message);
  Status OnProgress(storage::UnitOfWork& uow, const messaging::Envelope& message);

 private:
  // `status` empty: history and freshness only. `event_at` empty: the event is dated now.
  Status Apply(storage::UnitOfWork& uow, const messaging::Envelope& message, std::string_view status,
               const std::string& reason, const std::string& event, const std::string& event_at);

  OrderContext& context_;
};

}  // namespace sagaflow::order

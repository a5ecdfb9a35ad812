// The messages on the orders/ topics: orders/created from the order service (to the orchestrator and the
// notification service), and the saga's outcome and progress from the orchestrator (to the order and notification
// services). Encode writes the bytes the order service publishes, and the order saga's definition writes for the
// others: fields in this order, money with two decimals. DecodeX fails with InvalidArgument naming the first field
// that is missing or of the wrong type; a field marked optional may be absent (read as empty), since a saga
// definition's payload may leave it out, and is written only when it has a value. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/money.h"
#include "common/status.h"
#include "manifest/topics.h"

namespace sagaflow::wire {

struct OrderLine {
  std::string product_id;
  int64_t quantity = 0;
  Cents price_cents = 0;
};

// orders/created: an order was stored (published again, with a new messageId, while it is not finished).
struct OrderCreated {
  static constexpr std::string_view kTopic = topics::kOrderCreated;
  std::string message_id;
  std::string order_id;
  std::string customer_id;
  std::vector<OrderLine> items;
  Cents total_cents = 0;
  std::string created_at;
};

// orders/completed: the saga completed (published until notifications/sent acknowledges it).
struct OrderCompleted {
  static constexpr std::string_view kTopic = topics::kOrderCompleted;
  std::string message_id;
  std::string order_id;
  std::string idempotency_key;  // <orderId>:outcome
  std::string at;               // optional: a reader without it takes its own clock's time
};

// orders/cancelled: the saga was cancelled, with the first failure's reason.
struct OrderCancelled {
  static constexpr std::string_view kTopic = topics::kOrderCancelled;
  std::string message_id;
  std::string order_id;
  std::string idempotency_key;  // <orderId>:outcome
  std::string reason;           // optional: the order service requires it, the notification service makes do
  std::string at;               // optional
};

// orders/progress: a step of the saga, for the order's history, and the status it implies if any. On the wire
// `reason` stands between status and at.
struct OrderProgress {
  static constexpr std::string_view kTopic = topics::kOrderProgress;
  std::string message_id;
  std::string order_id;
  std::string event;
  std::string status;  // optional
  std::string at;      // optional
  std::string reason;  // optional: why a step failed ("payment_declined", "timeout")
};

std::string Encode(const OrderCreated& message);
std::string Encode(const OrderCompleted& message);
std::string Encode(const OrderCancelled& message);
std::string Encode(const OrderProgress& message);

Result<OrderCreated> DecodeOrderCreated(simdjson::dom::object body);
Result<OrderCompleted> DecodeOrderCompleted(simdjson::dom::object body);
Result<OrderCancelled> DecodeOrderCancelled(simdjson::dom::object body);
Result<OrderProgress> DecodeOrderProgress(simdjson::dom::object body);

}  // namespace sagaflow::wire

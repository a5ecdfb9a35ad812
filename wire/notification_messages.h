// notifications/sent: the notification service's acknowledgement of a saga's outcome (orders/completed or
// orders/cancelled), under the outcome's idempotencyKey; the orchestrator publishes the outcome until it sees one.
// Encode writes the bytes the notification service publishes; DecodeNotificationSent fails with InvalidArgument
// naming the first field that is missing or of the wrong type. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <simdjson.h>

#include "common/status.h"
#include "manifest/topics.h"

namespace sagaflow::wire {

struct NotificationSent {
  static constexpr std::string_view kTopic = topics::kNotificationSent;
  std::string message_id;
  std::string order_id;
  std::string idempotency_key;  // the outcome's: <orderId>:outcome
  std::string kind;             // order_completed or order_cancelled
  std::string at;
};

std::string Encode(const NotificationSent& message);
Result<NotificationSent> DecodeNotificationSent(simdjson::dom::object body);

}  // namespace sagaflow::wire

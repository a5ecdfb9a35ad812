// The MQTT topics the services exchange, in one place.
#pragma once

#include <string>
#include <string_view>

namespace sagaflow::topics {

inline constexpr std::string_view kOrderCreated = "orders/created";
inline constexpr std::string_view kOrderCompleted = "orders/completed";
inline constexpr std::string_view kOrderCancelled = "orders/cancelled";
// Saga progress for the order's history: {messageId, orderId, event, status?, at}.
inline constexpr std::string_view kOrderProgress = "orders/progress";
inline constexpr std::string_view kPaymentProcess = "payments/process";
inline constexpr std::string_view kPaymentProcessed = "payments/processed";
inline constexpr std::string_view kPaymentRefund = "payments/refund";
inline constexpr std::string_view kPaymentRefunded = "payments/refunded";
inline constexpr std::string_view kInventoryReserve = "inventory/reserve";
inline constexpr std::string_view kInventoryReserved = "inventory/reserved";
inline constexpr std::string_view kInventoryRelease = "inventory/release";
inline constexpr std::string_view kInventoryReleased = "inventory/released";
// The notification service's acknowledgement of an outcome: {messageId, orderId, idempotencyKey, kind, at}.
inline constexpr std::string_view kNotificationSent = "notifications/sent";

inline std::string DeadLetter(std::string_view topic) {
  return "deadletter/" + std::string(topic);
}

}  // namespace sagaflow::topics

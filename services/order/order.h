// The order as the order service stores and shows it, and the rules for moving its status.
//
// Status only moves forward (PENDING < PROCESSING < COMPENSATING < FAILED < COMPLETED = CANCELLED), so
// progress events that arrive late or twice never take an order back, and a terminal order stays
// terminal. Pure values and functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/money.h"
#include "services/order/order_request.h"

namespace sagaflow::order {

inline constexpr std::string_view kPending = "PENDING";
inline constexpr std::string_view kProcessing = "PROCESSING";
inline constexpr std::string_view kCompensating = "COMPENSATING";
inline constexpr std::string_view kCompleted = "COMPLETED";
inline constexpr std::string_view kCancelled = "CANCELLED";
inline constexpr std::string_view kFailed = "FAILED";

bool IsKnownStatus(std::string_view status);
bool IsTerminal(std::string_view status);
// True if an order in `from` may move to `to`.
bool CanAdvance(std::string_view from, std::string_view to);

struct HistoryEntry {
  std::string at;
  std::string event;
};

struct Order {
  std::string order_id;
  std::string customer_id;
  std::string status;
  std::string reason;  // empty unless cancelled
  Cents total_cents = 0;
  std::string created_at;
  std::string updated_at;
  std::vector<OrderItem> items;
  std::vector<HistoryEntry> history;
};

// JSON for GET /api/orders/<id> (with history) and for list entries (without).
std::string OrderJson(const Order& order, bool with_history);
// The orders/created event that starts the saga: messageId, orderId, customerId, items, totalAmount, createdAt.
std::string OrderCreatedEvent(const Order& order, std::string_view message_id);

}  // namespace sagaflow::order

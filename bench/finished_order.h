// MakeFinishedOrder: what one order that completed normally leaves behind, as values: its ids, the id of
// every message its saga exchanged (one id per message, so that the publisher's outbox row and every
// consumer's inbox claim name the same message, as in a real run) and the instant of each step, a few
// milliseconds apart. Orders are spread evenly between the plan's first and last instant. The result
// depends only on (plan, index), so the writer of each database makes the same order on its own.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "common/clock.h"

namespace sagaflow::bench {

struct HistoryPlan {
  uint64_t seed = 0;
  int64_t orders = 0;
  TimePoint first;  // created_at of order 0
  TimePoint last;   // created_at of order `orders - 1`
  std::string customer_id = "bench";
  std::string product_id = "P001";
  int64_t quantity = 1;
  int64_t price_cents = 100;
};

struct FinishedOrder {
  std::string order_id, saga_id, payment_id, reservation_id;

  // Message ids, by topic.
  std::string created_message;                       // orders/created: order service -> orchestrator, notification
  std::string payment_command, inventory_command;    // payments/process, inventory/reserve
  std::string payment_reply, inventory_reply;        // payments/processed, inventory/reserved (+ notification)
  std::string started_progress, inventory_progress;  // orders/progress: orchestrator -> order service
  std::string payment_progress;
  std::string outcome_message;  // orders/completed: orchestrator -> order service, notification
  std::string ack_message;      // notifications/sent: notification -> orchestrator

  // When each step happened.
  TimePoint created_at;         // POST accepted, orders/created appended
  TimePoint started_at;         // saga created, commands and the saga_started progress appended
  TimePoint charged_at;         // payment CHARGED
  TimePoint reserved_at;        // reservation RESERVED
  TimePoint inventory_done_at;  // the orchestrator handled inventory/reserved
  TimePoint payment_done_at;    // the orchestrator handled payments/processed and sent the outcome
  TimePoint notified_at;        // the notification service sent order_completed and its acknowledgement
  TimePoint finished_at;        // the orchestrator handled the acknowledgement; the order service the outcome

  int64_t total_cents(const HistoryPlan& plan) const { return plan.quantity * plan.price_cents; }
};

FinishedOrder MakeFinishedOrder(const HistoryPlan& plan, int64_t index);

// A relay publishes a row this long after it was appended.
inline constexpr Millis kPublishDelay{1};

}  // namespace sagaflow::bench

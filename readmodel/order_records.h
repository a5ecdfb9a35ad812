// The read model's records about one order across the five databases, as `sagactl status` shows them. Plain
// values; every string is the database's text as stored (untrusted), NULL text is "".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "readmodel/saga_records.h"

namespace sagaflow::readmodel {

struct HistoryEntry {
  std::string at;
  std::string event;
};

// orders.db: the order and its history, oldest first.
struct OrderRecord {
  std::string order_id;
  std::string customer_id;
  std::string status;
  std::string reason;
  int64_t total_cents = 0;
  std::string created_at;
  std::string updated_at;
  std::vector<HistoryEntry> history;
};

struct PaymentRecord {
  std::string payment_id;
  int64_t amount_cents = 0;
  std::string status;
  std::string updated_at;
};

struct ReservationItem {
  std::string product_id;
  int64_t quantity = 0;
};

struct ReservationRecord {
  std::string reservation_id;
  std::string status;
  std::string reason;
  std::vector<ReservationItem> items;
};

struct NotificationRecord {
  std::string kind;
  std::string message;
  std::string created_at;
};

// An outbox row not yet published whose payload mentions the order.
struct UnpublishedRow {
  std::string service;
  int64_t id = 0;
  std::string topic;
  std::string created_at;
};

// What the payment, inventory and notification services and every outbox hold about the order.
struct OrderAcrossServices {
  std::optional<PaymentRecord> payment;
  std::optional<ReservationRecord> reservation;
  std::vector<NotificationRecord> notifications;  // by created_at
  std::vector<UnpublishedRow> unpublished;        // by service (the manifest's order), then as the outbox holds them
};

// Everything about one order: `sagactl status <orderId>`.
struct OrderStatus {
  OrderRecord order;
  std::optional<SagaView> saga;  // its saga of the order definition; none if the orchestrator never started one
  OrderAcrossServices services;
};

// One saga in full and, for a saga of the order definition, the order it runs.
struct SagaDetail {
  SagaView saga;
  std::optional<OrderRecord> order;             // only for the order definition, if orders.db has the order
  std::optional<OrderAcrossServices> services;  // only for the order definition
};

}  // namespace sagaflow::readmodel

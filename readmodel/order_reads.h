// Reading one order where each service keeps it: the order and its history (orders.db), and what the payment,
// inventory and notification services and every outbox hold about it. Each opens the databases it reads, in the
// order an order passes through them, so that a missing one is reported as `sagactl status` always has. Internal
// to readmodel.
#pragma once

#include <optional>
#include <string>

#include "readmodel/order_records.h"

namespace sagaflow::readmodel {

// The order and its history; none if orders.db has no such order.
std::optional<OrderRecord> ReadOrder(const std::string& home, const std::string& order_id);

// Its payment, reservation, notifications, and every service's unpublished outbox rows that mention it (their
// payload contains the id, as SQL LIKE matches it; only unpublished rows are read).
OrderAcrossServices ReadOrderAcrossServices(const std::string& home, const std::string& order_id);

}  // namespace sagaflow::readmodel

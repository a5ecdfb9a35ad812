// order_store: the SQL of orders.db (tables in migrations/order/). Functions run inside a caller's
// Read or Write callback, so several of them share one transaction; SQLite errors propagate as
// exceptions to storage::Database, which turns them into a Status.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/order/order.h"
#include "storage/database.h"

namespace sagaflow::order::store {

struct IdempotencyRecord {
  std::string request;  // OrderRequest::Canonical()
  std::string order_id;
};

struct NudgeDue {
  std::string order_id;
  int nudge_count = 0;
};

void InsertOrder(storage::UnitOfWork& uow, const Order& order, int64_t nudge_at_ms);
std::optional<Order> LoadOrder(storage::Sql& sql, const std::string& order_id, bool with_history);
// Newest first; `status` empty means any.
std::vector<Order> ListOrders(storage::Sql& sql, const std::string& status, int limit);

std::optional<IdempotencyRecord> FindIdempotencyKey(storage::Sql& sql, const std::string& key);
void InsertIdempotencyKey(storage::UnitOfWork& uow, const std::string& key, const std::string& request,
                          const std::string& order_id, const std::string& at);

// Appends to the order's history unless an entry with the same event is already there.
void AddHistory(storage::UnitOfWork& uow, const std::string& order_id, const std::string& at, const std::string& event);
// Sets status, reason (NULL if empty), updated_at, and the nudge deadline (NULL when terminal).
void UpdateStatus(storage::UnitOfWork& uow, const std::string& order_id, std::string_view status,
                  const std::string& reason, const std::string& updated_at, std::optional<int64_t> nudge_at_ms);

std::vector<NudgeDue> DueForNudge(storage::Sql& sql, int64_t now_ms, int limit);
void SetNudge(storage::UnitOfWork& uow, const std::string& order_id, int64_t nudge_at_ms, int nudge_count);

}  // namespace sagaflow::order::store

#include "services/order/order_store.h"

namespace sagaflow::order::store {

namespace {

Order ReadOrderRow(SQLite::Statement& row) {
  Order order;
  order.order_id = row.getColumn(0).getString();
  order.customer_id = row.getColumn(1).getString();
  order.status = row.getColumn(2).getString();
  order.reason = row.getColumn(3).isNull() ? "" : row.getColumn(3).getString();
  order.total_cents = row.getColumn(4).getInt64();
  order.created_at = row.getColumn(5).getString();
  order.updated_at = row.getColumn(6).getString();
  return order;
}

void LoadItems(storage::Sql& sql, Order& order) {
  auto& items =
      sql.Prepare("SELECT product_id, quantity, price_cents FROM order_items WHERE order_id = ? ORDER BY line");
  items.bind(1, order.order_id);
  while (items.executeStep()) {
    order.items.push_back(
        {items.getColumn(0).getString(), items.getColumn(1).getInt64(), items.getColumn(2).getInt64()});
  }
}

constexpr const char* kOrderColumns = "order_id, customer_id, status, reason, total_cents, created_at, updated_at";

}  // namespace

void InsertOrder(storage::UnitOfWork& uow, const Order& order, int64_t nudge_at_ms) {
  auto& insert = uow.Prepare(
      "INSERT INTO orders(order_id, customer_id, status, reason, total_cents, created_at, updated_at, nudge_at) "
      "VALUES (?, ?, ?, NULL, ?, ?, ?, ?)");
  insert.bind(1, order.order_id);
  insert.bind(2, order.customer_id);
  insert.bind(3, order.status);
  insert.bind(4, order.total_cents);
  insert.bind(5, order.created_at);
  insert.bind(6, order.updated_at);
  insert.bind(7, nudge_at_ms);
  insert.exec();
  auto& item =
      uow.Prepare("INSERT INTO order_items(order_id, line, product_id, quantity, price_cents) VALUES (?, ?, ?, ?, ?)");
  int line = 0;
  for (const auto& entry : order.items) {
    item.reset();
    item.bind(1, order.order_id);
    item.bind(2, line++);
    item.bind(3, entry.product_id);
    item.bind(4, entry.quantity);
    item.bind(5, entry.price_cents);
    item.exec();
  }
  for (const auto& entry : order.history) AddHistory(uow, order.order_id, entry.at, entry.event);
}

std::optional<Order> LoadOrder(storage::Sql& sql, const std::string& order_id, bool with_history) {
  auto& select = sql.Prepare(std::string("SELECT ") + kOrderColumns + " FROM orders WHERE order_id = ?");
  select.bind(1, order_id);
  if (!select.executeStep()) return std::nullopt;
  Order order = ReadOrderRow(select);
  select.reset();
  LoadItems(sql, order);
  if (with_history) {
    auto& history = sql.Prepare("SELECT at, event FROM order_history WHERE order_id = ? ORDER BY seq");
    history.bind(1, order_id);
    while (history.executeStep())
      order.history.push_back({history.getColumn(0).getString(), history.getColumn(1).getString()});
  }
  return order;
}

std::vector<Order> ListOrders(storage::Sql& sql, const std::string& status, int limit) {
  std::vector<Order> orders;
  auto& select = status.empty()
                     ? sql.Prepare(std::string("SELECT ") + kOrderColumns +
                                   " FROM orders ORDER BY created_at DESC, rowid DESC LIMIT ?")
                     : sql.Prepare(std::string("SELECT ") + kOrderColumns +
                                   " FROM orders WHERE status = ? ORDER BY created_at DESC, rowid DESC LIMIT ?");
  int index = 1;
  if (!status.empty()) select.bind(index++, status);
  select.bind(index, limit);
  while (select.executeStep()) orders.push_back(ReadOrderRow(select));
  select.reset();
  for (auto& order : orders) LoadItems(sql, order);
  return orders;
}

std::optional<IdempotencyRecord> FindIdempotencyKey(storage::Sql& sql, const std::string& key) {
  auto& select = sql.Prepare("SELECT request, order_id FROM idempotency_keys WHERE idempotency_key = ?");
  select.bind(1, key);
  if (!select.executeStep()) return std::nullopt;
  return IdempotencyRecord{select.getColumn(0).getString(), select.getColumn(1).getString()};
}

void InsertIdempotencyKey(storage::UnitOfWork& uow, const std::string& key, const std::string& request,
                          const std::string& order_id, const std::string& at) {
  auto& insert =
      uow.Prepare("INSERT INTO idempotency_keys(idempotency_key, request, order_id, created_at) VALUES (?, ?, ?, ?)");
  insert.bind(1, key);
  insert.bind(2, request);
  insert.bind(3, order_id);
  insert.bind(4, at);
  insert.exec();
}

void AddHistory(storage::UnitOfWork& uow, const std::string& order_id, const std::string& at,
                const std::string& event) {
  auto& insert = uow.Prepare(
      "INSERT OR IGNORE INTO order_history(order_id, seq, at, event) "
      "VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM order_history WHERE order_id = ?1), ?2, ?3)");
  insert.bind(1, order_id);
  insert.bind(2, at);
  insert.bind(3, event);
  insert.exec();
}

void UpdateStatus(storage::UnitOfWork& uow, const std::string& order_id, std::string_view status,
                  const std::string& reason, const std::string& updated_at, std::optional<int64_t> nudge_at_ms) {
  auto& update = uow.Prepare(
      "UPDATE orders SET status = ?, reason = ?, updated_at = ?, nudge_at = ?, nudge_count = 0 WHERE order_id = ?");
  update.bind(1, std::string(status));
  if (reason.empty()) {
    update.bind(2);
  } else {
    update.bind(2, reason);
  }
  update.bind(3, updated_at);
  if (nudge_at_ms) {
    update.bind(4, *nudge_at_ms);
  } else {
    update.bind(4);
  }
  update.bind(5, order_id);
  update.exec();
}

std::vector<NudgeDue> DueForNudge(storage::Sql& sql, int64_t now_ms, int limit) {
  std::vector<NudgeDue> due;
  auto& select = sql.Prepare(
      "SELECT order_id, nudge_count FROM orders WHERE nudge_at IS NOT NULL AND nudge_at <= ? ORDER BY nudge_at LIMIT "
      "?");
  select.bind(1, now_ms);
  select.bind(2, limit);
  while (select.executeStep()) due.push_back({select.getColumn(0).getString(), select.getColumn(1).getInt()});
  return due;
}

void SetNudge(storage::UnitOfWork& uow, const std::string& order_id, int64_t nudge_at_ms, int nudge_count) {
  auto& update = uow.Prepare("UPDATE orders SET nudge_at = ?, nudge_count = ? WHERE order_id = ?");
  update.bind(1, nudge_at_ms);
  update.bind(2, nudge_count);
  update.bind(3, order_id);
  update.exec();
}

}  // namespace sagaflow::order::store

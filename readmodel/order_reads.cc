#include "readmodel/order_reads.h"

#include "manifest/service_manifest.h"
#include "readmodel/database_access.h"

namespace sagaflow::readmodel {

namespace {

std::vector<HistoryEntry> ReadHistory(SQLite::Database& orders, const std::string& order_id) {
  SQLite::Statement select(orders, "SELECT at, event FROM order_history WHERE order_id = ? ORDER BY seq");
  select.bind(1, order_id);
  std::vector<HistoryEntry> history;
  while (select.executeStep()) history.push_back({select.getColumn(0).getString(), select.getColumn(1).getString()});
  return history;
}

std::optional<PaymentRecord> ReadPayment(const std::string& home, const std::string& order_id) {
  auto payments = OpenReadOnly(home, DatabaseOf("payment-service"));
  SQLite::Statement select(*payments,
                           "SELECT payment_id, amount_cents, status, updated_at FROM payments WHERE order_id = ?");
  select.bind(1, order_id);
  if (!select.executeStep()) return std::nullopt;
  return PaymentRecord{select.getColumn(0).getString(), select.getColumn(1).getInt64(), select.getColumn(2).getString(),
                       select.getColumn(3).getString()};
}

std::optional<ReservationRecord> ReadReservation(const std::string& home, const std::string& order_id) {
  auto inventory = OpenReadOnly(home, DatabaseOf("inventory-service"));
  SQLite::Statement select(*inventory, "SELECT reservation_id, status, reason FROM reservations WHERE order_id = ?");
  select.bind(1, order_id);
  if (!select.executeStep()) return std::nullopt;
  ReservationRecord reservation{
      select.getColumn(0).getString(), select.getColumn(1).getString(), TextOrEmpty(select, 2), {}};
  SQLite::Statement items(*inventory, "SELECT product_id, quantity FROM reservation_items WHERE reservation_id = ?");
  items.bind(1, reservation.reservation_id);
  while (items.executeStep()) {
    reservation.items.push_back({items.getColumn(0).getString(), items.getColumn(1).getInt64()});
  }
  return reservation;
}

std::vector<NotificationRecord> ReadNotifications(const std::string& home, const std::string& order_id) {
  auto notifications = OpenReadOnly(home, DatabaseOf("notification-service"));
  SQLite::Statement select(
      *notifications, "SELECT kind, message, created_at FROM notifications WHERE order_id = ? ORDER BY created_at");
  select.bind(1, order_id);
  std::vector<NotificationRecord> sent;
  while (select.executeStep()) {
    sent.push_back({select.getColumn(0).getString(), select.getColumn(1).getString(), select.getColumn(2).getString()});
  }
  return sent;
}

std::vector<UnpublishedRow> ReadUnpublished(const std::string& home, const std::string& order_id) {
  std::vector<UnpublishedRow> unpublished;
  for (const auto& service : SagaflowServices()) {
    auto db = OpenReadOnly(home, service.db_file);
    SQLite::Statement select(*db,
                             "SELECT id, topic, created_at FROM outbox WHERE published_at IS NULL AND payload LIKE ?");
    select.bind(1, "%" + order_id + "%");
    while (select.executeStep()) {
      unpublished.push_back({service.name, select.getColumn(0).getInt64(), select.getColumn(1).getString(),
                             select.getColumn(2).getString()});
    }
  }
  return unpublished;
}

}  // namespace

std::optional<OrderRecord> ReadOrder(const std::string& home, const std::string& order_id) {
  auto orders = OpenReadOnly(home, DatabaseOf("order-service"));
  SQLite::Statement select(*orders,
                           "SELECT customer_id, status, reason, total_cents, created_at, updated_at FROM orders "
                           "WHERE order_id = ?");
  select.bind(1, order_id);
  if (!select.executeStep()) return std::nullopt;
  OrderRecord order{order_id,
                    select.getColumn(0).getString(),
                    select.getColumn(1).getString(),
                    TextOrEmpty(select, 2),
                    select.getColumn(3).getInt64(),
                    select.getColumn(4).getString(),
                    select.getColumn(5).getString(),
                    {}};
  order.history = ReadHistory(*orders, order_id);
  return order;
}

OrderAcrossServices ReadOrderAcrossServices(const std::string& home, const std::string& order_id) {
  OrderAcrossServices across;
  across.payment = ReadPayment(home, order_id);
  across.reservation = ReadReservation(home, order_id);
  across.notifications = ReadNotifications(home, order_id);
  across.unpublished = ReadUnpublished(home, order_id);
  return across;
}

}  // namespace sagaflow::readmodel

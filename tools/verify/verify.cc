#include "tools/verify/verify.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <memory>
#include <set>

#include "manifest/service_manifest.h"

namespace sagaflow::verify {

namespace {

using Items = std::map<std::string, int64_t>;  // product -> quantity

struct OrderFacts {
  std::string status;
  int64_t total_cents = 0;
  Items items;
};

std::unique_ptr<SQLite::Database> OpenReadOnly(const std::string& dir, const std::string& file) {
  const std::string path = dir + "/" + file;
  if (!std::filesystem::exists(path)) throw std::runtime_error("database " + path + " does not exist");
  return std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY, 5000);
}

}  // namespace

std::string ToString(const Violation& violation) {
  return "guarantee " + std::to_string(violation.guarantee) + ": " + violation.detail;
}

Result<std::vector<Violation>> VerifyGuarantees(const VerifyOptions& options) {
  std::vector<Violation> violations;
  const auto add = [&](int guarantee, std::string detail) { violations.push_back({guarantee, std::move(detail)}); };
  try {
    auto orders_db = OpenReadOnly(options.data_dir, ServiceNamed("order-service").db_file);
    auto saga_db = OpenReadOnly(options.data_dir, ServiceNamed("orchestrator").db_file);
    auto payments_db = OpenReadOnly(options.data_dir, ServiceNamed("payment-service").db_file);
    auto inventory_db = OpenReadOnly(options.data_dir, ServiceNamed("inventory-service").db_file);
    auto notifications_db = OpenReadOnly(options.data_dir, ServiceNamed("notification-service").db_file);

    std::map<std::string, OrderFacts> orders;
    {
      SQLite::Statement select(*orders_db, "SELECT order_id, status, total_cents FROM orders");
      while (select.executeStep()) {
        orders[select.getColumn(0).getString()] = {select.getColumn(1).getString(), select.getColumn(2).getInt64(), {}};
      }
      SQLite::Statement items(*orders_db, "SELECT order_id, product_id, quantity FROM order_items");
      while (items.executeStep()) {
        orders[items.getColumn(0).getString()].items[items.getColumn(1).getString()] += items.getColumn(2).getInt64();
      }
    }
    // 1. Every accepted order is terminal.
    for (const auto& [id, order] : orders) {
      if (order.status != "COMPLETED" && order.status != "CANCELLED") add(1, "order " + id + " is " + order.status);
    }

    // 2. COMPLETED <=> one CHARGED payment of the total and one RESERVED reservation of exactly its items.
    std::map<std::string, std::pair<std::string, int64_t>> payments;  // order -> status, amount
    {
      SQLite::Statement select(*payments_db, "SELECT order_id, status, amount_cents FROM payments");
      while (select.executeStep()) {
        payments[select.getColumn(0).getString()] = {select.getColumn(1).getString(), select.getColumn(2).getInt64()};
      }
    }
    std::map<std::string, std::string> reservation_status;
    std::map<std::string, Items> reserved_items;  // order -> items, RESERVED reservations only
    Items reserved_by_product;
    {
      SQLite::Statement select(*inventory_db, "SELECT order_id, status FROM reservations");
      while (select.executeStep())
        reservation_status[select.getColumn(0).getString()] = select.getColumn(1).getString();
      SQLite::Statement items(*inventory_db,
                              "SELECT r.order_id, i.product_id, i.quantity FROM reservations r "
                              "JOIN reservation_items i ON i.reservation_id = r.reservation_id "
                              "WHERE r.status = 'RESERVED'");
      while (items.executeStep()) {
        reserved_items[items.getColumn(0).getString()][items.getColumn(1).getString()] += items.getColumn(2).getInt64();
        reserved_by_product[items.getColumn(1).getString()] += items.getColumn(2).getInt64();
      }
    }
    for (const auto& [id, order] : orders) {
      auto payment = payments.find(id);
      const bool charged = payment != payments.end() && payment->second.first == "CHARGED";
      auto reservation = reservation_status.find(id);
      const bool reserved = reservation != reservation_status.end() && reservation->second == "RESERVED";
      if (order.status == "COMPLETED") {
        if (!charged) add(2, "order " + id + " is COMPLETED without a CHARGED payment");
        if (charged && payment->second.second != order.total_cents) {
          add(2, "order " + id + " charged " + std::to_string(payment->second.second) + " cents, total is " +
                     std::to_string(order.total_cents));
        }
        if (!reserved) add(2, "order " + id + " is COMPLETED without a RESERVED reservation");
        if (reserved && reserved_items[id] != order.items) {
          add(2, "order " + id + " reserved other items than it ordered");
        }
      } else if (order.status == "CANCELLED") {  // a non-terminal order breaks guarantee 1, not 2
        if (charged) add(2, "order " + id + " is " + order.status + " with a CHARGED payment");
        if (reserved) add(2, "order " + id + " is " + order.status + " with a RESERVED reservation");
      }
    }
    for (const auto& [id, payment] : payments) {
      if (payment.first == "CHARGED" && orders.count(id) == 0) add(2, "payment CHARGED for unknown order " + id);
    }
    for (const auto& [id, status] : reservation_status) {
      if (status == "RESERVED" && orders.count(id) == 0) add(2, "reservation RESERVED for unknown order " + id);
    }

    // 3. Stock is conserved.
    {
      SQLite::Statement select(*inventory_db, "SELECT product_id, available FROM stock");
      std::set<std::string> seen;
      while (select.executeStep()) {
        const std::string product = select.getColumn(0).getString();
        const int64_t available = select.getColumn(1).getInt64();
        seen.insert(product);
        auto initial = options.initial_stock.find(product);
        if (initial == options.initial_stock.end()) continue;
        const int64_t reserved = reserved_by_product[product];
        if (initial->second != available + reserved) {
          add(3, "product " + product + ": initial " + std::to_string(initial->second) + " != available " +
                     std::to_string(available) + " + reserved " + std::to_string(reserved));
        }
        if (available < 0) add(3, "product " + product + " has negative stock");
      }
      for (const auto& [product, quantity] : options.initial_stock) {
        if (seen.count(product) == 0) add(3, "product " + product + " from the stock file is not in inventory.db");
      }
    }

    // 4. Order status and saga state agree.
    {
      std::map<std::string, std::string> sagas;
      SQLite::Statement select(*saga_db, "SELECT order_id, state FROM sagas");
      while (select.executeStep()) sagas[select.getColumn(0).getString()] = select.getColumn(1).getString();
      for (const auto& [id, order] : orders) {
        auto saga = sagas.find(id);
        if (saga == sagas.end()) {
          add(4, "order " + id + " (" + order.status + ") has no saga");
          continue;
        }
        const bool agree = saga->second == order.status || (order.status == "PROCESSING" && saga->second == "RUNNING");
        if (!agree) add(4, "order " + id + " is " + order.status + " but its saga is " + saga->second);
      }
    }

    // 5. Every outbox is drained.
    for (const auto& [name, db] :
         std::vector<std::pair<std::string, SQLite::Database*>>{{"orders.db", orders_db.get()},
                                                                {"orchestrator.db", saga_db.get()},
                                                                {"payments.db", payments_db.get()},
                                                                {"inventory.db", inventory_db.get()},
                                                                {"notifications.db", notifications_db.get()}}) {
      const int64_t pending = db->execAndGet("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL").getInt64();
      if (pending > 0) add(5, name + " has " + std::to_string(pending) + " unpublished outbox rows");
    }

    // 6. At most one notification per (order, kind).
    {
      SQLite::Statement select(*notifications_db,
                               "SELECT order_id, kind, COUNT(*) FROM notifications GROUP BY order_id, kind "
                               "HAVING COUNT(*) > 1");
      while (select.executeStep()) {
        add(6, "order " + select.getColumn(0).getString() + " got " + select.getColumn(2).getString() + " '" +
                   select.getColumn(1).getString() + "' notifications");
      }
    }
  } catch (const std::exception& e) {
    return Status::IoError(e.what());
  }
  return violations;
}

}  // namespace sagaflow::verify

#include "tools/verify/guarantees.h"

#include <filesystem>
#include <set>
#include <stdexcept>

#include "manifest/service_manifest.h"

namespace sagaflow::verify {

namespace {

std::unique_ptr<SQLite::Database> OpenReadOnly(const std::string& dir, const std::string& file) {
  const std::string path = dir + "/" + file;
  if (!std::filesystem::exists(path)) throw std::runtime_error("database " + path + " does not exist");
  return std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY, 5000);
}

void ReadOrders(Evidence& evidence) {
  SQLite::Database& db = evidence.database("order-service");
  SQLite::Statement select(db, "SELECT order_id, status, total_cents FROM orders");
  while (select.executeStep()) {
    evidence.orders[select.getColumn(0).getString()] = {
        select.getColumn(1).getString(), select.getColumn(2).getInt64(), {}};
  }
  SQLite::Statement items(db, "SELECT order_id, product_id, quantity FROM order_items");
  while (items.executeStep()) {
    evidence.orders[items.getColumn(0).getString()].items[items.getColumn(1).getString()] +=
        items.getColumn(2).getInt64();
  }
}

void ReadPayments(Evidence& evidence) {
  SQLite::Statement select(evidence.database("payment-service"), "SELECT order_id, status, amount_cents FROM payments");
  while (select.executeStep()) {
    evidence.payments[select.getColumn(0).getString()] = {select.getColumn(1).getString(),
                                                          select.getColumn(2).getInt64()};
  }
}

void ReadReservations(Evidence& evidence) {
  SQLite::Database& db = evidence.database("inventory-service");
  SQLite::Statement select(db, "SELECT order_id, status FROM reservations");
  while (select.executeStep()) {
    evidence.reservation_status[select.getColumn(0).getString()] = select.getColumn(1).getString();
  }
  SQLite::Statement items(db,
                          "SELECT r.order_id, i.product_id, i.quantity FROM reservations r "
                          "JOIN reservation_items i ON i.reservation_id = r.reservation_id "
                          "WHERE r.status = 'RESERVED'");
  while (items.executeStep()) {
    const std::string product = items.getColumn(1).getString();
    const int64_t quantity = items.getColumn(2).getInt64();
    evidence.reserved_items[items.getColumn(0).getString()][product] += quantity;
    evidence.reserved_by_product[product] += quantity;
  }
}

// Guarantee 2 for one finished order; a non-terminal order breaks guarantee 1, not 2.
void CheckOutcomeOf(const Evidence& evidence, const std::string& id, const OrderFacts& order,
                    std::vector<Violation>& violations) {
  const auto add = [&](std::string detail) { violations.push_back({2, std::move(detail)}); };
  auto payment = evidence.payments.find(id);
  const bool charged = payment != evidence.payments.end() && payment->second.status == "CHARGED";
  auto reservation = evidence.reservation_status.find(id);
  const bool reserved = reservation != evidence.reservation_status.end() && reservation->second == "RESERVED";
  if (order.status == "COMPLETED") {
    if (!charged) add("order " + id + " is COMPLETED without a CHARGED payment");
    if (charged && payment->second.amount_cents != order.total_cents) {
      add("order " + id + " charged " + std::to_string(payment->second.amount_cents) + " cents, total is " +
          std::to_string(order.total_cents));
    }
    if (!reserved) add("order " + id + " is COMPLETED without a RESERVED reservation");
    auto items = evidence.reserved_items.find(id);
    if (reserved && (items == evidence.reserved_items.end() ? Items{} : items->second) != order.items) {
      add("order " + id + " reserved other items than it ordered");
    }
  } else if (order.status == "CANCELLED") {
    if (charged) add("order " + id + " is " + order.status + " with a CHARGED payment");
    if (reserved) add("order " + id + " is " + order.status + " with a RESERVED reservation");
  }
}

}  // namespace

SQLite::Database& Evidence::database(std::string_view service) const {
  auto found = databases.find(service);
  if (found == databases.end()) throw std::out_of_range("no database of " + std::string(service) + " was opened");
  return *found->second;
}

Result<Evidence> GatherEvidence(const VerifyOptions& options) {
  Evidence evidence;
  evidence.initial_stock = options.initial_stock;
  try {
    for (const auto& service : SagaflowServices()) {
      evidence.databases[service.name] = OpenReadOnly(options.data_dir, service.db_file);
    }
    ReadOrders(evidence);
    ReadPayments(evidence);
    ReadReservations(evidence);
  } catch (const std::exception& e) {
    return Status::IoError(e.what());
  }
  return evidence;
}

std::vector<Violation> EveryOrderIsTerminal(const Evidence& evidence) {
  std::vector<Violation> violations;
  for (const auto& [id, order] : evidence.orders) {
    if (order.status != "COMPLETED" && order.status != "CANCELLED") {
      violations.push_back({1, "order " + id + " is " + order.status});
    }
  }
  return violations;
}

std::vector<Violation> ChargesAndReservationsMatchOutcomes(const Evidence& evidence) {
  std::vector<Violation> violations;
  for (const auto& [id, order] : evidence.orders) CheckOutcomeOf(evidence, id, order, violations);
  for (const auto& [id, payment] : evidence.payments) {
    if (payment.status == "CHARGED" && !evidence.orders.contains(id)) {
      violations.push_back({2, "payment CHARGED for unknown order " + id});
    }
  }
  for (const auto& [id, status] : evidence.reservation_status) {
    if (status == "RESERVED" && !evidence.orders.contains(id)) {
      violations.push_back({2, "reservation RESERVED for unknown order " + id});
    }
  }
  return violations;
}

std::vector<Violation> StockIsConserved(const Evidence& evidence) {
  std::vector<Violation> violations;
  const auto add = [&](std::string detail) { violations.push_back({3, std::move(detail)}); };
  SQLite::Statement select(evidence.database("inventory-service"), "SELECT product_id, available FROM stock");
  std::set<std::string> seen;
  while (select.executeStep()) {
    const std::string product = select.getColumn(0).getString();
    const int64_t available = select.getColumn(1).getInt64();
    seen.insert(product);
    auto initial = evidence.initial_stock.find(product);
    if (initial == evidence.initial_stock.end()) continue;
    auto reserved_units = evidence.reserved_by_product.find(product);
    const int64_t reserved = reserved_units == evidence.reserved_by_product.end() ? 0 : reserved_units->second;
    if (initial->second != available + reserved) {
      add("product " + product + ": initial " + std::to_string(initial->second) + " != available " +
          std::to_string(available) + " + reserved " + std::to_string(reserved));
    }
    if (available < 0) add("product " + product + " has negative stock");
  }
  for (const auto& [product, quantity] : evidence.initial_stock) {
    if (!seen.contains(product)) add("product " + product + " from the stock file is not in inventory.db");
  }
  return violations;
}

std::vector<Violation> OrdersAgreeWithSagas(const Evidence& evidence) {
  std::map<std::string, std::string> sagas;  // order id -> state
  SQLite::Statement select(evidence.database("orchestrator"), "SELECT order_id, state FROM sagas WHERE definition = ?");
  select.bind(1, std::string(kOrderSagaName));
  while (select.executeStep()) sagas[select.getColumn(0).getString()] = select.getColumn(1).getString();
  std::vector<Violation> violations;
  for (const auto& [id, order] : evidence.orders) {
    auto saga = sagas.find(id);
    if (saga == sagas.end()) {
      violations.push_back({4, "order " + id + " (" + order.status + ") has no saga"});
      continue;
    }
    const bool agree = saga->second == order.status || (order.status == "PROCESSING" && saga->second == "RUNNING");
    if (!agree) violations.push_back({4, "order " + id + " is " + order.status + " but its saga is " + saga->second});
  }
  return violations;
}

std::vector<Violation> OutboxesAreDrained(const Evidence& evidence) {
  std::vector<Violation> violations;
  for (const auto& service : SagaflowServices()) {
    const int64_t pending =
        evidence.database(service.name).execAndGet("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL").getInt64();
    if (pending > 0) {
      violations.push_back({5, service.db_file + " has " + std::to_string(pending) + " unpublished outbox rows"});
    }
  }
  return violations;
}

std::vector<Violation> OneNotificationPerKind(const Evidence& evidence) {
  SQLite::Statement select(evidence.database("notification-service"),
                           "SELECT order_id, kind, COUNT(*) FROM notifications GROUP BY order_id, kind "
                           "HAVING COUNT(*) > 1");
  std::vector<Violation> violations;
  while (select.executeStep()) {
    violations.push_back({6, "order " + select.getColumn(0).getString() + " got " + select.getColumn(2).getString() +
                                 " '" + select.getColumn(1).getString() + "' notifications"});
  }
  return violations;
}

}  // namespace sagaflow::verify

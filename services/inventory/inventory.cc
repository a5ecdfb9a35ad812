#include "services/inventory/inventory.h"

#include <limits>
#include <map>
#include <optional>

#include "common/time_format.h"
#include "manifest/topics.h"
#include "messaging/idempotency_keys.h"
#include "wire/inventory_messages.h"

namespace sagaflow::inventory {

namespace {

struct ReservationRow {
  std::string reservation_id;
  std::string status;
  std::string reason;
};

std::optional<ReservationRow> Load(storage::Sql& sql, const std::string& order_id) {
  auto& select = sql.Prepare("SELECT reservation_id, status, reason FROM reservations WHERE order_id = ?");
  select.bind(1, order_id);
  if (!select.executeStep()) return std::nullopt;
  return ReservationRow{select.getColumn(0).getString(), select.getColumn(1).getString(),
                        select.getColumn(2).isNull() ? "" : select.getColumn(2).getString()};
}

void Insert(storage::UnitOfWork& uow, const std::string& order_id, const ReservationRow& row, const std::string& at) {
  auto& insert = uow.Prepare(
      "INSERT INTO reservations(order_id, reservation_id, status, reason, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, order_id);
  insert.bind(2, row.reservation_id);
  insert.bind(3, row.status);
  if (row.reason.empty()) {
    insert.bind(4);
  } else {
    insert.bind(4, row.reason);
  }
  insert.bind(5, at);
  insert.bind(6, at);
  insert.exec();
}

// The command's items as product -> quantity; the same product twice counts once, summed.
Result<std::map<std::string, int64_t>> WantedItems(const std::vector<wire::ReserveLine>& items) {
  std::map<std::string, int64_t> wanted;
  for (const auto& item : items) {
    if (item.quantity <= 0) return Status::InvalidArgument("items need a positive quantity");
    int64_t& total = wanted[item.product_id];
    // Summing unchecked would overflow (undefined behaviour) on a hostile message and could go negative.
    if (item.quantity > std::numeric_limits<int64_t>::max() - total) {
      return Status::InvalidArgument("quantity of " + item.product_id + " is out of range");
    }
    total += item.quantity;
  }
  if (wanted.empty()) return Status::InvalidArgument("items must not be empty");
  return wanted;
}

// Why the stock cannot cover `wanted` ("unknown_product" first, then "out_of_stock"), or "" if it can.
std::string ShortfallReason(storage::Sql& sql, const std::map<std::string, int64_t>& wanted) {
  std::string reason;
  auto& available = sql.Prepare("SELECT available FROM stock WHERE product_id = ?");
  for (const auto& [product, quantity] : wanted) {
    available.reset();
    available.bind(1, product);
    if (!available.executeStep()) {
      reason = "unknown_product";
      break;
    }
    if (available.getColumn(0).getInt64() < quantity && reason.empty()) reason = "out_of_stock";
  }
  available.reset();
  return reason;
}

// Takes `wanted` from the stock and records it as the reservation's items.
Status TakeStock(storage::UnitOfWork& uow, const std::string& reservation_id,
                 const std::map<std::string, int64_t>& wanted) {
  auto& take = uow.Prepare("UPDATE stock SET available = available - ? WHERE product_id = ? AND available >= ?");
  auto& record = uow.Prepare("INSERT INTO reservation_items(reservation_id, product_id, quantity) VALUES (?, ?, ?)");
  for (const auto& [product, quantity] : wanted) {
    take.reset();
    take.bind(1, quantity);
    take.bind(2, product);
    take.bind(3, quantity);
    if (take.exec() != 1) return Status::IoError("stock of " + product + " changed inside the transaction");
    record.reset();
    record.bind(1, reservation_id);
    record.bind(2, product);
    record.bind(3, quantity);
    record.exec();
  }
  return Status::Ok();
}

// inventory/reserved for the reservation as it stands (a released one answers a late repeat "cancelled").
std::string ReservedReply(const std::string& message_id, const std::string& order_id, const std::string& key,
                          const ReservationRow& row, const std::string& at) {
  const bool success = row.status == "RESERVED";
  std::string reason = success ? "" : row.reason;
  if (row.status == "RELEASED" || row.status == "VOIDED") reason = "cancelled";
  return wire::Encode(wire::InventoryReserved{.message_id = message_id,
                                              .order_id = order_id,
                                              .idempotency_key = key,
                                              .reservation_id = row.reservation_id,
                                              .success = success,
                                              .reason = reason,
                                              .reserved_at = at});
}

}  // namespace

Result<int> SeedStock(storage::Database& db, const std::map<std::string, int64_t>& stock) {
  int added = 0;
  Status status = db.Write([&](storage::UnitOfWork& uow) {
    auto& insert = uow.Prepare("INSERT OR IGNORE INTO stock(product_id, available) VALUES (?, ?)");
    for (const auto& [product, quantity] : stock) {
      insert.reset();
      insert.bind(1, product);
      insert.bind(2, quantity);
      added += insert.exec();
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return added;
}

Result<commands::CommandReply> Inventory::Reserve(storage::UnitOfWork& uow, simdjson::dom::object command,
                                                  const std::string& order_id, const std::string& key) {
  auto reserve = wire::DecodeInventoryReserve(command);
  if (!reserve.ok()) return reserve.status();
  auto wanted = WantedItems(reserve->items);
  if (!wanted.ok()) return wanted.status();
  const std::string at = FormatIso8601(clock_.Now());
  auto row = Load(uow, order_id);
  if (row) {
    logger_->info("orderId={} inventory/reserve for a reservation already {}", order_id, row->status);
  } else {
    const std::string reason = ShortfallReason(uow, *wanted);
    row = ReservationRow{NewTimeOrderedUuid(clock_.Now(), random_), reason.empty() ? "RESERVED" : "REJECTED", reason};
    Insert(uow, order_id, *row, at);
    if (!reason.empty()) {
      logger_->info("orderId={} reservation rejected: {}", order_id, reason);
    } else if (Status taken = TakeStock(uow, row->reservation_id, *wanted); !taken.ok()) {
      return taken;
    } else {
      logger_->info("orderId={} reserved {} product(s), reservation {}", order_id, wanted->size(), row->reservation_id);
    }
  }
  return commands::CommandReply{std::string(wire::InventoryReserved::kTopic),
                                ReservedReply(NewTimeOrderedUuid(clock_.Now(), random_), order_id, key, *row, at)};
}

Result<commands::CommandReply> Inventory::Release(storage::UnitOfWork& uow, simdjson::dom::object command,
                                                  const std::string& order_id, const std::string& key) {
  if (auto release = wire::DecodeInventoryRelease(command); !release.ok()) return release.status();
  const std::string at = FormatIso8601(clock_.Now());
  auto row = Load(uow, order_id);
  std::string status;
  if (!row) {
    Insert(uow, order_id, ReservationRow{NewTimeOrderedUuid(clock_.Now(), random_), "VOIDED", ""}, at);
    status = "VOIDED";
    logger_->info("orderId={} release before any reservation: voided, a later reserve is refused", order_id);
  } else if (row->status == "RESERVED") {
    auto& give_back = uow.Prepare(
        "UPDATE stock SET available = available + (SELECT quantity FROM reservation_items "
        "WHERE reservation_id = ?1 AND product_id = stock.product_id) "
        "WHERE product_id IN (SELECT product_id FROM reservation_items WHERE reservation_id = ?1)");
    give_back.bind(1, row->reservation_id);
    give_back.exec();
    auto& update = uow.Prepare("UPDATE reservations SET status = 'RELEASED', updated_at = ? WHERE order_id = ?");
    update.bind(1, at);
    update.bind(2, order_id);
    update.exec();
    status = "RELEASED";
    logger_->info("orderId={} reservation {} released, stock returned", order_id, row->reservation_id);
  } else {
    status = row->status;
    logger_->info("orderId={} release: reservation is {}, nothing to return", order_id, row->status);
  }
  const wire::InventoryReleased reply{.message_id = NewTimeOrderedUuid(clock_.Now(), random_),
                                      .order_id = order_id,
                                      .idempotency_key = key,
                                      .success = true,
                                      .status = status,
                                      .released_at = at};
  return commands::CommandReply{std::string(wire::InventoryReleased::kTopic), wire::Encode(reply)};
}

Status Inventory::Register(commands::CommandProcessor& processor, messaging::Consumer& consumer, Millis reserve_delay) {
  Status handled = processor.Handle(
      consumer, std::string(topics::kInventoryReserve), reserve_delay,
      [this](storage::UnitOfWork& uow, simdjson::dom::object command, const std::string& order_id,
             const std::string& key) { return Reserve(uow, command, order_id, key); },
      [](std::string_view order_id) { return messaging::StepKey(order_id, messaging::kInventoryStep); });
  if (!handled.ok()) return handled;
  return processor.Handle(
      consumer, std::string(topics::kInventoryRelease), Millis(0),
      [this](storage::UnitOfWork& uow, simdjson::dom::object command, const std::string& order_id,
             const std::string& key) { return Release(uow, command, order_id, key); },
      [](std::string_view order_id) { return messaging::CompensationKey(order_id, messaging::kInventoryStep); });
}

}  // namespace sagaflow::inventory

#include "tools/testing/five_databases.h"

#include <system_error>

#include "manifest/service_manifest.h"
#include "wire/inventory_messages.h"
#include "wire/notification_messages.h"
#include "wire/order_messages.h"
#include "wire/payment_messages.h"

namespace sagaflow::tools::testing {

namespace {

// ConsistentWorld(), one database at a time.
constexpr const char* kOrdersWorld = R"sql(
  INSERT INTO orders(order_id, customer_id, status, reason, total_cents, created_at, updated_at)
    VALUES ('order-1', 'C1', 'COMPLETED', NULL, 3000, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:01.000Z'),
           ('order-2', 'C2', 'CANCELLED', 'payment_declined', 1000001, '2020-01-01T00:00:00.000Z',
            '2020-01-01T00:00:01.000Z');
  INSERT INTO order_items(order_id, line, product_id, quantity, price_cents)
    VALUES ('order-1', 0, 'P001', 2, 1250), ('order-1', 1, 'P002', 1, 500), ('order-2', 0, 'P001', 1, 1000001);
  INSERT INTO order_history(order_id, seq, at, event)
    VALUES ('order-1', 1, '2020-01-01T00:00:00.000Z', 'created'),
           ('order-1', 2, '2020-01-01T00:00:01.000Z', 'completed'),
           ('order-2', 1, '2020-01-01T00:00:00.000Z', 'created'),
           ('order-2', 2, '2020-01-01T00:00:01.000Z', 'cancelled: payment_declined');
)sql";

constexpr const char* kOrchestratorWorld = R"sql(
  INSERT INTO sagas(saga_id, order_id, definition, state, failure_reason, data, created_at, updated_at)
    VALUES ('saga-1', 'order-1', 'order', 'COMPLETED', NULL, '{}', '2020-01-01T00:00:00.000Z',
            '2020-01-01T00:00:01.000Z'),
           ('saga-2', 'order-2', 'order', 'CANCELLED', 'payment_declined', '{}', '2020-01-01T00:00:00.000Z',
            '2020-01-01T00:00:01.000Z');
  INSERT INTO saga_steps(saga_id, step, stage, status, attempts, last_reply, updated_at)
    VALUES ('saga-1', 'payment', 0, 'SUCCEEDED', 1, 'charged', '2020-01-01T00:00:01.000Z'),
           ('saga-1', 'inventory', 0, 'SUCCEEDED', 1, 'reserved', '2020-01-01T00:00:01.000Z'),
           ('saga-2', 'payment', 0, 'FAILED', 1, 'payment_declined', '2020-01-01T00:00:01.000Z'),
           ('saga-2', 'inventory', 0, 'COMPENSATED', 1, 'released', '2020-01-01T00:00:01.000Z');
)sql";

constexpr const char* kPaymentsWorld = R"sql(
  INSERT INTO payments(order_id, payment_id, amount_cents, status, created_at, updated_at)
    VALUES ('order-1', 'pay-1', 3000, 'CHARGED', '2020-01-01T00:00:01.000Z', '2020-01-01T00:00:01.000Z'),
           ('order-2', 'pay-2', 1000001, 'DECLINED', '2020-01-01T00:00:01.000Z', '2020-01-01T00:00:01.000Z');
)sql";

constexpr const char* kInventoryWorld = R"sql(
  INSERT INTO stock(product_id, available) VALUES ('P001', 98), ('P002', 49);
  INSERT INTO reservations(order_id, reservation_id, status, reason, created_at, updated_at)
    VALUES ('order-1', 'res-1', 'RESERVED', NULL, '2020-01-01T00:00:01.000Z', '2020-01-01T00:00:01.000Z'),
           ('order-2', 'res-2', 'RELEASED', NULL, '2020-01-01T00:00:01.000Z', '2020-01-01T00:00:01.000Z');
  INSERT INTO reservation_items(reservation_id, product_id, quantity)
    VALUES ('res-1', 'P001', 2), ('res-1', 'P002', 1), ('res-2', 'P001', 1);
)sql";

constexpr const char* kNotificationsWorld = R"sql(
  INSERT INTO notifications(idempotency_key, order_id, kind, message, created_at)
    VALUES ('order-1:order_received', 'order-1', 'order_received', 'Order confirmation email sent to C1',
            '2020-01-01T00:00:00.000Z'),
           ('order-1:order_completed', 'order-1', 'order_completed', 'Order order-1 completed',
            '2020-01-01T00:00:01.000Z'),
           ('order-2:order_cancelled', 'order-2', 'order_cancelled', 'Order order-2 cancelled',
            '2020-01-01T00:00:01.000Z');
)sql";

// An outbox row, already published, holding `message` as its service's codec (wire/) writes it.
template <typename Message>
std::string Published(const Message& message, const std::string& appended_at, const std::string& published_at) {
  std::string payload = wire::Encode(message);
  for (size_t quote = payload.find('\''); quote != std::string::npos; quote = payload.find('\'', quote + 2)) {
    payload.insert(quote, 1, '\'');  // an SQL string literal doubles its quotes
  }
  return "INSERT INTO outbox(topic, payload, created_at, published_at) VALUES ('" + std::string(Message::kTopic) +
         "', '" + payload + "', '" + appended_at + "', '" + published_at + "');";
}

constexpr const char* kStart = "2020-01-01T00:00:00.000Z";
constexpr const char* kEnd = "2020-01-01T00:00:01.000Z";
constexpr const char* kStartPublished = "2020-01-01T00:00:00.010Z";
constexpr const char* kEndPublished = "2020-01-01T00:00:01.010Z";

}  // namespace

const std::map<std::string, std::string>& ConsistentWorld() {
  static const std::map<std::string, std::string> world = {
      {"orders.db",
       std::string(kOrdersWorld) +
           Published(
               wire::OrderCreated{"m-created", "order-1", "C1", {{"P001", 2, 1250}, {"P002", 1, 500}}, 3000, kStart},
               kStart, kStartPublished)},
      {"orchestrator.db",
       std::string(kOrchestratorWorld) +
           Published(wire::OrderCompleted{"m-completed", "order-1", "order-1:outcome", kEnd}, kEnd, kEndPublished)},
      {"payments.db",
       std::string(kPaymentsWorld) +
           Published(wire::PaymentProcessed{"m-charged", "order-1", "order-1:payment", "pay-1", 3000, true, "", kEnd},
                     kEnd, kEndPublished)},
      {"inventory.db",
       std::string(kInventoryWorld) +
           Published(wire::InventoryReserved{"m-reserved", "order-1", "order-1:inventory", "res-1", true, "", kEnd},
                     kEnd, kEndPublished)},
      {"notifications.db",
       std::string(kNotificationsWorld) +
           Published(wire::NotificationSent{"m-sent", "order-1", "order-1:outcome", "order_completed", kEnd}, kEnd,
                     kEndPublished)}};
  return world;
}

const std::map<std::string, int64_t>& ConsistentWorldStock() {
  static const std::map<std::string, int64_t> stock = {{"P001", 100}, {"P002", 50}};
  return stock;
}

FiveDatabases::FiveDatabases(std::string_view prefix) : home_(prefix) {}

Status FiveDatabases::Create(TimePoint now) {
  if (home().empty()) return Status::IoError("no temporary directory for the home");
  std::error_code error;
  std::filesystem::create_directories(data_dir(), error);
  if (error) return Status::IoError(data_dir().string() + ": " + error.message());
  for (const auto& service : SagaflowServices()) {
    auto db = storage::scratch::OpenMigrated(data_dir() / service.db_file, service.migrations, now);
    if (!db.ok()) return Status::IoError(service.db_file + ": " + db.status().ToString());
    open_[service.db_file] = std::move(db).value();
  }
  return Status::Ok();
}

Status FiveDatabases::Exec(std::string_view db_file, const std::string& sql) {
  auto db = open_.find(db_file);
  if (db == open_.end()) return Status::FailedPrecondition(std::string(db_file) + " is not open");
  return db->second->Write([&](storage::UnitOfWork& uow) {
    uow.Exec(sql);
    return Status::Ok();
  });
}

Status FiveDatabases::FillConsistentWorld() {
  for (const auto& [db_file, sql] : ConsistentWorld()) {
    if (Status filled = Exec(db_file, sql); !filled.ok()) return filled;
  }
  return Status::Ok();
}

void FiveDatabases::CloseAll() {
  open_.clear();
}

void FiveDatabases::Remove(std::string_view db_file) {
  if (auto db = open_.find(db_file); db != open_.end()) open_.erase(db);
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(data_dir() / (std::string(db_file) + suffix), ignored);
  }
}

void ConsistentWorldTest::SetUp() {
  Status created = databases_.Create(ManualClock().Now());
  ASSERT_TRUE(created.ok()) << created.ToString();
  Status filled = databases_.FillConsistentWorld();
  ASSERT_TRUE(filled.ok()) << filled.ToString();
}

Status ConsistentWorldTest::Exec(const std::string& db_file, const std::string& sql) {
  Status status = databases_.Exec(db_file, sql);
  EXPECT_TRUE(status.ok()) << db_file << ": " << status.ToString();
  return status;
}

}  // namespace sagaflow::tools::testing

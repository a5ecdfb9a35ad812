#include "bench/seed_history.h"

#include <simdjson.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "common/time_format.h"
#include "manifest/service_manifest.h"
#include "orchestrator/engine/saga_events.h"
#include "storage/database.h"
#include "wire/inventory_messages.h"
#include "wire/notification_messages.h"
#include "wire/order_messages.h"
#include "wire/payment_messages.h"

namespace sagaflow::bench {

namespace {

using storage::UnitOfWork;

// Writes orders [begin, end) of the plan into one database, inside the caller's transaction.
using ChunkWriter = std::function<Status(UnitOfWork&, const HistoryPlan&, int64_t begin, int64_t end)>;

std::string At(TimePoint t) {
  return FormatIso8601(t);
}

void AppendPublished(UnitOfWork& uow, const std::string& topic, const std::string& payload, TimePoint at) {
  auto& insert = uow.Prepare("INSERT INTO outbox(topic, payload, created_at, published_at) VALUES (?, ?, ?, ?)");
  insert.bind(1, topic);
  insert.bind(2, payload);
  insert.bind(3, At(at));
  insert.bind(4, At(at + kPublishDelay));
  insert.exec();
}

void Claim(UnitOfWork& uow, const std::string& message_id, TimePoint at) {
  auto& insert = uow.Prepare("INSERT INTO inbox(message_id, received_at) VALUES (?, ?)");
  insert.bind(1, message_id);
  insert.bind(2, ToEpochMillis(at));
  insert.exec();
}

void StoreReply(UnitOfWork& uow, const std::string& key, const std::string& command_topic,
                const std::string& reply_topic, const std::string& payload, TimePoint at) {
  auto& insert = uow.Prepare(
      "INSERT INTO command_replies(idempotency_key, command_topic, reply_topic, reply_payload, created_at) "
      "VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, key);
  insert.bind(2, command_topic);
  insert.bind(3, reply_topic);
  insert.bind(4, payload);
  insert.bind(5, ToEpochMillis(at));
  insert.exec();
}

// The orders/created payload, as the order service publishes it.
std::string CreatedPayload(const HistoryPlan& plan, const FinishedOrder& order) {
  return wire::Encode(wire::OrderCreated{order.created_message,
                                         order.order_id,
                                         plan.customer_id,
                                         {{plan.product_id, plan.quantity, plan.price_cents}},
                                         order.total_cents(plan),
                                         At(order.created_at)});
}

std::string Progress(const FinishedOrder& order, const std::string& message_id, const std::string& event,
                     const std::string& status, TimePoint at) {
  return wire::Encode(wire::OrderProgress{message_id, order.order_id, event, status, At(at), ""});
}

std::string PaymentReply(const HistoryPlan& plan, const FinishedOrder& order) {
  return wire::Encode(wire::PaymentProcessed{order.payment_reply, order.order_id, order.order_id + ":payment",
                                             order.payment_id, order.total_cents(plan), true, "",
                                             At(order.charged_at)});
}

std::string InventoryReply(const FinishedOrder& order) {
  return wire::Encode(wire::InventoryReserved{order.inventory_reply, order.order_id, order.order_id + ":inventory",
                                              order.reservation_id, true, "", At(order.reserved_at)});
}

Status WriteOrders(UnitOfWork& uow, const HistoryPlan& plan, int64_t begin, int64_t end) {
  for (int64_t index = begin; index < end; ++index) {
    const FinishedOrder order = MakeFinishedOrder(plan, index);
    auto& insert = uow.Prepare(
        "INSERT INTO orders(order_id, customer_id, status, total_cents, created_at, updated_at) "
        "VALUES (?, ?, 'COMPLETED', ?, ?, ?)");
    insert.bind(1, order.order_id);
    insert.bind(2, plan.customer_id);
    insert.bind(3, order.total_cents(plan));
    insert.bind(4, At(order.created_at));
    insert.bind(5, At(order.finished_at));
    insert.exec();
    auto& item = uow.Prepare(
        "INSERT INTO order_items(order_id, line, product_id, quantity, price_cents) VALUES (?, 0, ?, ?, ?)");
    item.bind(1, order.order_id);
    item.bind(2, plan.product_id);
    item.bind(3, plan.quantity);
    item.bind(4, plan.price_cents);
    item.exec();
    int seq = 0;
    for (const auto& [event, at] : {std::pair<const char*, TimePoint>{"created", order.created_at},
                                    {"saga_started", order.started_at},
                                    {"inventory_succeeded", order.inventory_done_at},
                                    {"payment_succeeded", order.payment_done_at},
                                    {"completed", order.payment_done_at}}) {
      auto& history = uow.Prepare("INSERT INTO order_history(order_id, seq, at, event) VALUES (?, ?, ?, ?)");
      history.bind(1, order.order_id);
      history.bind(2, ++seq);
      history.bind(3, At(at));
      history.bind(4, event);
      history.exec();
    }
    AppendPublished(uow, "orders/created", CreatedPayload(plan, order), order.created_at);
    Claim(uow, order.started_progress, order.started_at + kPublishDelay);
    Claim(uow, order.inventory_progress, order.inventory_done_at + kPublishDelay);
    Claim(uow, order.payment_progress, order.payment_done_at + kPublishDelay);
    Claim(uow, order.outcome_message, order.finished_at);
  }
  return Status::Ok();
}

// The payments/process command the orchestrator sends.
std::string PaymentCommand(const HistoryPlan& plan, const FinishedOrder& order) {
  return wire::Encode(wire::PaymentProcess{order.payment_command, order.order_id, order.order_id + ":payment",
                                           plan.customer_id, order.total_cents(plan)});
}

// The inventory/reserve command the orchestrator sends.
std::string InventoryCommand(const HistoryPlan& plan, const FinishedOrder& order) {
  return wire::Encode(wire::InventoryReserve{
      order.inventory_command, order.order_id, order.order_id + ":inventory", {{plan.product_id, plan.quantity}}});
}

// The orders/completed outcome the orchestrator publishes.
std::string CompletedOutcome(const FinishedOrder& order) {
  return wire::Encode(wire::OrderCompleted{order.outcome_message, order.order_id, order.order_id + ":outcome",
                                           At(order.payment_done_at)});
}

// The notification service's acknowledgement of the outcome.
std::string Acknowledgement(const FinishedOrder& order) {
  return wire::Encode(wire::NotificationSent{order.ack_message, order.order_id, order.order_id + ":outcome",
                                             "order_completed", At(order.notified_at)});
}

Status InsertSaga(UnitOfWork& uow, simdjson::dom::parser& parser, const HistoryPlan& plan, const FinishedOrder& order) {
  // The saga keeps orders/created as the orchestrator re-serialized it (simdjson prints 1.00 as 1.0).
  simdjson::dom::element created;
  if (parser.parse(CreatedPayload(plan, order)).get(created)) return Status::Corruption("orders/created payload");
  auto& insert = uow.Prepare(
      "INSERT INTO sagas(saga_id, order_id, definition, state, stage, data, created_at, updated_at) "
      "VALUES (?, ?, 'order', 'COMPLETED', 0, ?, ?, ?)");
  insert.bind(1, order.saga_id);
  insert.bind(2, order.order_id);
  insert.bind(3, std::string(simdjson::to_string(created)));
  insert.bind(4, At(order.started_at));
  insert.bind(5, At(order.finished_at));
  insert.exec();
  return Status::Ok();
}

// Its three steps, each succeeded at the first attempt.
void InsertSagaSteps(UnitOfWork& uow, const FinishedOrder& order) {
  for (const auto& [step, stage, sent_at, reply] :
       {std::tuple<const char*, int, TimePoint, const char*>{"payment", 0, order.started_at, "success"},
        {"inventory", 0, order.started_at, "success"},
        {"outcome", -1, order.payment_done_at, "acknowledged"}}) {
    auto& steps = uow.Prepare(
        "INSERT INTO saga_steps(saga_id, step, stage, status, attempts, compensation_attempts, sent_at, "
        "last_reply, updated_at) VALUES (?, ?, ?, 'SUCCEEDED', 1, 0, ?, ?, ?)");
    steps.bind(1, order.saga_id);
    steps.bind(2, step);
    steps.bind(3, stage);
    steps.bind(4, ToEpochMillis(sent_at));
    steps.bind(5, reply);
    steps.bind(6, At(order.finished_at));
    steps.exec();
  }
}

// The saga's timeline as the SagaManager records it: each message in and out, and the state's change.
void InsertTimeline(UnitOfWork& uow, const HistoryPlan& plan, const FinishedOrder& order) {
  using engine::EventKind;
  const struct {
    EventKind kind;
    TimePoint at;
    const char* step;
    std::optional<int> attempt;
    const char* topic;
    std::string payload;
    const char* detail;
  } events[] = {
      // The version InsertSaga's row has (the column's default).
      {EventKind::kSagaStarted,
       order.started_at,
       "",
       {},
       "orders/created",
       CreatedPayload(plan, order),
       "order version 1"},
      {EventKind::kCommandSent, order.started_at, "payment", 1, "payments/process", PaymentCommand(plan, order), ""},
      {EventKind::kCommandSent, order.started_at, "inventory", 1, "inventory/reserve", InventoryCommand(plan, order),
       ""},
      {EventKind::kReplyApplied,
       order.inventory_done_at,
       "inventory",
       {},
       "inventory/reserved",
       InventoryReply(order),
       "success"},
      {EventKind::kReplyApplied,
       order.payment_done_at,
       "payment",
       {},
       "payments/processed",
       PaymentReply(plan, order),
       "success"},
      {EventKind::kStateChanged, order.payment_done_at, "", {}, "", "", "RUNNING -> COMPLETED"},
      {EventKind::kOutcomeSent, order.payment_done_at, "outcome", 1, "orders/completed", CompletedOutcome(order), ""},
      {EventKind::kOutcomeAcknowledged,
       order.finished_at,
       "outcome",
       {},
       "notifications/sent",
       Acknowledgement(order),
       "acknowledged"},
  };
  int64_t seq = 0;
  for (const auto& event : events) {
    engine::store::AppendEvent(uow, {order.saga_id, ++seq, At(event.at), event.kind, event.step, event.attempt,
                                     event.topic, event.payload, event.detail});
  }
}

// What the orchestrator published for one saga, in the order it did.
void AppendSagaMessages(UnitOfWork& uow, const HistoryPlan& plan, const FinishedOrder& order) {
  AppendPublished(uow, "orders/progress",
                  Progress(order, order.started_progress, "saga_started", "PROCESSING", order.started_at),
                  order.started_at);
  AppendPublished(uow, "payments/process", PaymentCommand(plan, order), order.started_at);
  AppendPublished(uow, "inventory/reserve", InventoryCommand(plan, order), order.started_at);
  AppendPublished(uow, "orders/progress",
                  Progress(order, order.inventory_progress, "inventory_succeeded", "", order.inventory_done_at),
                  order.inventory_done_at);
  AppendPublished(uow, "orders/progress",
                  Progress(order, order.payment_progress, "payment_succeeded", "", order.payment_done_at),
                  order.payment_done_at);
  AppendPublished(uow, "orders/completed", CompletedOutcome(order), order.payment_done_at);
}

Status WriteSagas(UnitOfWork& uow, const HistoryPlan& plan, int64_t begin, int64_t end) {
  simdjson::dom::parser parser;
  for (int64_t index = begin; index < end; ++index) {
    const FinishedOrder order = MakeFinishedOrder(plan, index);
    if (Status saga = InsertSaga(uow, parser, plan, order); !saga.ok()) return saga;
    InsertSagaSteps(uow, order);
    InsertTimeline(uow, plan, order);
    AppendSagaMessages(uow, plan, order);
    Claim(uow, order.created_message, order.started_at);
    Claim(uow, order.inventory_reply, order.inventory_done_at);
    Claim(uow, order.payment_reply, order.payment_done_at);
    Claim(uow, order.ack_message, order.finished_at);
  }
  return Status::Ok();
}

Status WritePayments(UnitOfWork& uow, const HistoryPlan& plan, int64_t begin, int64_t end) {
  for (int64_t index = begin; index < end; ++index) {
    const FinishedOrder order = MakeFinishedOrder(plan, index);
    auto& insert = uow.Prepare(
        "INSERT INTO payments(order_id, payment_id, amount_cents, status, created_at, updated_at) "
        "VALUES (?, ?, ?, 'CHARGED', ?, ?)");
    insert.bind(1, order.order_id);
    insert.bind(2, order.payment_id);
    insert.bind(3, order.total_cents(plan));
    insert.bind(4, At(order.charged_at));
    insert.bind(5, At(order.charged_at));
    insert.exec();
    const std::string reply = PaymentReply(plan, order);
    StoreReply(uow, order.order_id + ":payment", "payments/process", "payments/processed", reply,
               order.charged_at + kPublishDelay);
    AppendPublished(uow, "payments/processed", reply, order.charged_at + kPublishDelay);
    Claim(uow, order.payment_command, order.charged_at);
  }
  return Status::Ok();
}

Status WriteInventory(UnitOfWork& uow, const HistoryPlan& plan, const std::map<std::string, int64_t>& initial_stock,
                      int64_t begin, int64_t end) {
  for (int64_t index = begin; index < end; ++index) {
    const FinishedOrder order = MakeFinishedOrder(plan, index);
    auto& insert = uow.Prepare(
        "INSERT INTO reservations(order_id, reservation_id, status, created_at, updated_at) "
        "VALUES (?, ?, 'RESERVED', ?, ?)");
    insert.bind(1, order.order_id);
    insert.bind(2, order.reservation_id);
    insert.bind(3, At(order.reserved_at));
    insert.bind(4, At(order.reserved_at));
    insert.exec();
    auto& item = uow.Prepare("INSERT INTO reservation_items(reservation_id, product_id, quantity) VALUES (?, ?, ?)");
    item.bind(1, order.reservation_id);
    item.bind(2, plan.product_id);
    item.bind(3, plan.quantity);
    item.exec();
    const std::string reply = InventoryReply(order);
    StoreReply(uow, order.order_id + ":inventory", "inventory/reserve", "inventory/reserved", reply, order.reserved_at);
    AppendPublished(uow, "inventory/reserved", reply, order.reserved_at);
    Claim(uow, order.inventory_command, order.reserved_at);
  }
  // Stock is conserved chunk by chunk: what these reservations hold leaves `available` in the same commit.
  std::optional<int64_t> available;
  auto& select = uow.Prepare("SELECT available FROM stock WHERE product_id = ?");
  select.bind(1, plan.product_id);
  if (select.executeStep()) available = select.getColumn(0).getInt64();
  select.reset();
  auto initial = initial_stock.find(plan.product_id);
  auto after = StockAfterSeeding(plan.product_id, available,
                                 initial == initial_stock.end() ? std::nullopt : std::optional(initial->second),
                                 plan.quantity * (end - begin));
  if (!after.ok()) return after.status();
  auto& upsert = uow.Prepare(
      "INSERT INTO stock(product_id, available) VALUES (?, ?) "
      "ON CONFLICT(product_id) DO UPDATE SET available = excluded.available");
  upsert.bind(1, plan.product_id);
  upsert.bind(2, *after);
  upsert.exec();
  return Status::Ok();
}

Status WriteNotifications(UnitOfWork& uow, const HistoryPlan& plan, int64_t begin, int64_t end) {
  for (int64_t index = begin; index < end; ++index) {
    const FinishedOrder order = MakeFinishedOrder(plan, index);
    for (const auto& [kind, message, at] : {
             std::tuple<std::string, std::string, TimePoint>{
                 "order_received", "Order confirmation email sent to " + plan.customer_id, order.started_at},
             {"inventory_confirmed", "Inventory confirmation for Order " + order.order_id, order.reserved_at},
             {"payment_confirmed", "Payment confirmation for Order " + order.order_id, order.charged_at},
             {"order_completed", "Order " + order.order_id + " is confirmed and on its way", order.notified_at},
         }) {
      auto& insert = uow.Prepare(
          "INSERT INTO notifications(idempotency_key, order_id, kind, message, created_at) VALUES (?, ?, ?, ?, ?)");
      insert.bind(1, order.order_id + ":" + kind);
      insert.bind(2, order.order_id);
      insert.bind(3, kind);
      insert.bind(4, message);
      insert.bind(5, At(at + kPublishDelay));
      insert.exec();
    }
    AppendPublished(uow, "notifications/sent", Acknowledgement(order), order.notified_at);
    Claim(uow, order.created_message, order.started_at);
    Claim(uow, order.inventory_reply, order.reserved_at + kPublishDelay);
    Claim(uow, order.payment_reply, order.charged_at + kPublishDelay);
    Claim(uow, order.outcome_message, order.notified_at);
  }
  return Status::Ok();
}

// Opens one migrated database of a stopped system for a bulk load.
Result<std::unique_ptr<storage::Database>> OpenForSeeding(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    return Status::FailedPrecondition(path +
                                      " does not exist: start the system once (scripts/run --detach), stop it, "
                                      "then seed");
  }
  auto db = storage::Database::Open({path, storage::Durability::kNormal});
  if (!db.ok()) return db.status();
  Status ready = (*db)->Read([&](storage::Sql& sql) {
    auto& select = sql.Prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'outbox'");
    if (!select.executeStep() || select.getColumn(0).getInt() == 0) {
      return Status::FailedPrecondition(path + " is not migrated: start the system once, stop it, then seed");
    }
    select.reset();
    sql.Exec("PRAGMA cache_size = -262144");  // 256 MiB: keys are random UUIDs, so inserts touch every page
    // A bulk load into a stopped system: every page written once into the file rather than into the WAL
    // and again by the checkpoint, and no foreign-key lookups for rows made consistent by construction.
    // The services put WAL back when they open the file; SeedOne also does at the end.
    sql.Exec("PRAGMA journal_mode = MEMORY");
    sql.Exec("PRAGMA foreign_keys = OFF");
    return Status::Ok();
  });
  if (!ready.ok()) return ready;
  return db;
}

Status SeedOne(const SeedOptions& options, const std::string& file, const ChunkWriter& write) {
  auto db = OpenForSeeding(options.data_dir + "/" + file);
  if (!db.ok()) return db.status();
  const int64_t total = options.plan.orders;
  for (int64_t begin = 0; begin < total; begin += options.orders_per_transaction) {
    const int64_t end = std::min(total, begin + options.orders_per_transaction);
    Status written = (*db)->Write([&](UnitOfWork& uow) { return write(uow, options.plan, begin, end); });
    if (!written.ok()) return Status::IoError(file + ": " + written.message());
    if (options.progress) options.progress(file, end);
  }
  return (*db)->Read([](storage::Sql& sql) {
    sql.Exec("PRAGMA journal_mode = WAL");
    return Status::Ok();
  });
}

}  // namespace

Result<int64_t> StockAfterSeeding(const std::string& product, std::optional<int64_t> available,
                                  std::optional<int64_t> initial, int64_t reserving) {
  if (!available && !initial) {
    return Status::FailedPrecondition("product " + product + " is neither in inventory.db nor in the stock file");
  }
  const int64_t now = available ? *available : *initial;
  if (now < reserving) {
    return Status::FailedPrecondition("product " + product + " has " + std::to_string(now) + " in stock, " +
                                      std::to_string(reserving) +
                                      " needed (seed a fresh home with a larger stock file)");
  }
  return now - reserving;
}

HistoryPlan RecentHistory(int64_t orders, TimePoint now, uint64_t seed) {
  HistoryPlan plan;
  plan.seed = seed;
  plan.orders = orders;
  plan.first = now - std::chrono::minutes(60);
  plan.last = now - std::chrono::minutes(1);
  return plan;
}

Status SeedHistory(const SeedOptions& options) {
  // SQLite counts every allocation under one process-wide mutex, which five writer threads fight over
  // (a third of the run in futex calls). Only possible before SQLite's first use; otherwise a no-op.
  (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  const std::vector<std::pair<std::string, ChunkWriter>> databases = {
      {ServiceNamed("order-service").db_file, WriteOrders},
      {ServiceNamed("orchestrator").db_file, WriteSagas},
      {ServiceNamed("payment-service").db_file, WritePayments},
      {ServiceNamed("inventory-service").db_file,
       [&](UnitOfWork& uow, const HistoryPlan& plan, int64_t begin, int64_t end) {
         return WriteInventory(uow, plan, options.initial_stock, begin, end);
       }},
      {ServiceNamed("notification-service").db_file, WriteNotifications},
  };
  std::vector<Status> results(databases.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < databases.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = SeedOne(options, databases[i].first, databases[i].second); });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) {
    if (!result.ok()) return result;
  }
  return Status::Ok();
}

}  // namespace sagaflow::bench

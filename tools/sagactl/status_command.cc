// status <orderId>: one section per database, in the order an order passes through them, each written to both the
// JSON document and the text; the text or the JSON is printed only once every section has been read.
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/json_writer.h"
#include "common/money.h"
#include "manifest/service_manifest.h"
#include "tools/sagactl/commands.h"
#include "tools/sagactl/table.h"

namespace sagaflow::sagactl {

namespace {

void DescribeHistory(SQLite::Database& orders, const std::string& order_id, JsonWriter& json, std::ostream& text) {
  SQLite::Statement history(orders, "SELECT at, event FROM order_history WHERE order_id = ? ORDER BY seq");
  history.bind(1, order_id);
  json.Key("history").BeginArray();
  text << "  history:\n";
  while (history.executeStep()) {
    json.BeginObject()
        .Key("at")
        .String(history.getColumn(0).getString())
        .Key("event")
        .String(history.getColumn(1).getString())
        .EndObject();
    text << "    " << Printable(history.getColumn(0).getString()) << "  " << Printable(history.getColumn(1).getString())
         << "\n";
  }
  json.EndArray();
}

// The order and its history; returns its status. Failure (exit 1) if orders.db has no such order.
std::string DescribeOrder(const Context& context, const std::string& order_id, JsonWriter& json, std::ostream& text) {
  auto orders = context.Open(DatabaseOf("order-service"));
  SQLite::Statement order(*orders,
                          "SELECT customer_id, status, reason, total_cents, created_at, updated_at FROM orders "
                          "WHERE order_id = ?");
  order.bind(1, order_id);
  if (!order.executeStep()) throw Failure(1, "no order " + order_id + " in orders.db");
  std::string status = order.getColumn(1).getString();
  json.Key("orderId")
      .String(order_id)
      .Key("order")
      .BeginObject()
      .Key("customerId")
      .String(order.getColumn(0).getString())
      .Key("status")
      .String(status)
      .Key("reason")
      .String(Text(order, 2))
      .Key("totalAmount")
      .Raw(FormatMoney(order.getColumn(3).getInt64()))
      .Key("createdAt")
      .String(order.getColumn(4).getString())
      .Key("updatedAt")
      .String(order.getColumn(5).getString());
  text << "order " << Printable(order_id) << "\n  customer " << Printable(order.getColumn(0).getString()) << ", status "
       << Printable(status) << (Printable(Text(order, 2)).empty() ? "" : " (" + Printable(Text(order, 2)) + ")")
       << ", total " << FormatMoney(order.getColumn(3).getInt64()) << ", created "
       << Printable(order.getColumn(4).getString()) << ", updated " << Printable(order.getColumn(5).getString())
       << "\n";
  DescribeHistory(*orders, order_id, json, text);
  json.EndObject();
  return status;
}

// What the saga's steps with a timer wait for.
struct Waits {
  std::vector<std::string> waiting;
  std::vector<std::string> compensating;  // of a finished saga: a success reported after the step failed
};

void WriteStep(SQLite::Statement& steps, JsonWriter& json) {
  json.BeginObject()
      .Key("step")
      .String(steps.getColumn(0).getString())
      .Key("status")
      .String(steps.getColumn(1).getString())
      .Key("attempts")
      .Int(steps.getColumn(2).getInt64())
      .Key("compensationAttempts")
      .Int(steps.getColumn(3).getInt64())
      .Key("deadline")
      .String(Deadline(steps, 4))
      .Key("lastReply")
      .String(Text(steps, 6))
      .EndObject();
}

// What a step with a timer waits for: its reply, or its compensation's, since it was sent; and when it is sent again.
std::string WhyStepWaits(SQLite::Statement& steps) {
  const std::string step_status = steps.getColumn(1).getString();
  const bool compensating = step_status == "COMPENSATING";
  std::string why = "step " + steps.getColumn(0).getString();
  why += " is " + step_status;
  why += compensating ? ": waiting for its compensation's reply since " : ": waiting for its reply since ";
  why += Deadline(steps, 5);
  why += " (attempt " + steps.getColumn(compensating ? 3 : 2).getString();
  why += "); next retry at " + Deadline(steps, 4);
  return why;
}

// The saga's steps as a table; returns what those with a timer wait for.
Waits DescribeSteps(SQLite::Database& sagas, const std::string& saga_id, JsonWriter& json, std::ostream& text) {
  SQLite::Statement steps(sagas,
                          "SELECT step, status, attempts, compensation_attempts, deadline, sent_at, last_reply "
                          "FROM saga_steps WHERE saga_id = ? ORDER BY stage < 0, stage, rowid");
  steps.bind(1, saga_id);
  Table table({"step", "status", "attempts", "comp.attempts", "deadline", "last reply"});
  Waits waits;
  json.Key("steps").BeginArray();
  while (steps.executeStep()) {
    const std::string name = steps.getColumn(0).getString();
    const std::string step_status = steps.getColumn(1).getString();
    table.Add({name, step_status, steps.getColumn(2).getString(), steps.getColumn(3).getString(), Deadline(steps, 4),
               Text(steps, 6)});
    WriteStep(steps, json);
    if (!steps.getColumn(4).isNull()) {
      waits.waiting.push_back(WhyStepWaits(steps));
      if (step_status == "COMPENSATING") {
        waits.compensating.push_back(waits.waiting.back() + " (a success reported after the step failed)");
      }
    }
  }
  json.EndArray();
  text << table.Render();
  return waits;
}

// Why the saga waits. An unfinished saga says so even with no timer (it is stuck); a finished saga's outcome
// stands, and it only still undoes a step whose success was reported after its failure.
void DescribeWaiting(const std::string& order_id, const std::string& state, Waits waits, JsonWriter& json,
                     std::ostream& text) {
  std::vector<std::string> lines;
  if (state == "RUNNING" || state == "COMPENSATING" || state == "FAILED") {
    if (waits.waiting.empty()) {
      const std::string why = state == "FAILED"
                                  ? "FAILED: a compensation was never confirmed; run `sagactl retry " + order_id + "`"
                                  : "no step has a pending timer: stuck; run `sagactl retry " + order_id + "`";
      waits.waiting.push_back(why);
    }
    lines = std::move(waits.waiting);
  } else {
    lines = std::move(waits.compensating);
  }
  json.Key("waiting").BeginArray();
  for (const auto& line : lines) {
    json.String(line);
    text << "  why waiting: " << Printable(line) << "\n";
  }
  json.EndArray();
}

void DescribeSaga(const Context& context, const std::string& order_id, const std::string& order_status,
                  JsonWriter& json, std::ostream& text) {
  auto sagas = context.Open(DatabaseOf("orchestrator"));
  SQLite::Statement saga(
      *sagas, "SELECT saga_id, state, failure_reason, updated_at FROM sagas WHERE order_id = ? AND definition = ?");
  saga.bind(1, order_id);
  saga.bind(2, std::string(kOrderSagaName));
  json.Key("saga");
  if (!saga.executeStep()) {
    json.Null();
    text << "saga: none yet (orders/created not received by the orchestrator";
    text << (order_status == "PENDING" ? "; the order service's nudge will publish it again)\n" : ")\n");
    return;
  }
  const std::string saga_id = saga.getColumn(0).getString();
  const std::string state = saga.getColumn(1).getString();
  json.BeginObject()
      .Key("sagaId")
      .String(saga_id)
      .Key("state")
      .String(state)
      .Key("failureReason")
      .String(Text(saga, 2))
      .Key("updatedAt")
      .String(saga.getColumn(3).getString());
  text << "saga " << Printable(saga_id) << ": " << Printable(state)
       << (Printable(Text(saga, 2)).empty() ? "" : " (" + Printable(Text(saga, 2)) + ")") << ", updated "
       << Printable(saga.getColumn(3).getString()) << "\n";
  Waits waits = DescribeSteps(*sagas, saga_id, json, text);
  DescribeWaiting(order_id, state, std::move(waits), json, text);
  json.EndObject();
}

void DescribePayment(const Context& context, const std::string& order_id, JsonWriter& json, std::ostream& text) {
  auto payments = context.Open(DatabaseOf("payment-service"));
  SQLite::Statement payment(*payments,
                            "SELECT payment_id, amount_cents, status, updated_at FROM payments WHERE order_id = ?");
  payment.bind(1, order_id);
  json.Key("payment");
  if (!payment.executeStep()) {
    json.Null();
    text << "payment: none\n";
    return;
  }
  json.BeginObject()
      .Key("paymentId")
      .String(payment.getColumn(0).getString())
      .Key("amount")
      .Raw(FormatMoney(payment.getColumn(1).getInt64()))
      .Key("status")
      .String(payment.getColumn(2).getString())
      .EndObject();
  text << "payment " << Printable(payment.getColumn(0).getString()) << ": "
       << Printable(payment.getColumn(2).getString()) << " " << FormatMoney(payment.getColumn(1).getInt64()) << "\n";
}

void DescribeReservation(const Context& context, const std::string& order_id, JsonWriter& json, std::ostream& text) {
  auto inventory = context.Open(DatabaseOf("inventory-service"));
  SQLite::Statement reservation(*inventory,
                                "SELECT reservation_id, status, reason FROM reservations WHERE order_id = ?");
  reservation.bind(1, order_id);
  json.Key("reservation");
  if (!reservation.executeStep()) {
    json.Null();
    text << "reservation: none\n";
    return;
  }
  const std::string reservation_id = reservation.getColumn(0).getString();
  json.BeginObject()
      .Key("reservationId")
      .String(reservation_id)
      .Key("status")
      .String(reservation.getColumn(1).getString())
      .Key("reason")
      .String(Text(reservation, 2))
      .Key("items")
      .BeginArray();
  text << "reservation " << Printable(reservation_id) << ": " << Printable(reservation.getColumn(1).getString())
       << (Printable(Text(reservation, 2)).empty() ? "" : " (" + Printable(Text(reservation, 2)) + ")");
  SQLite::Statement items(*inventory, "SELECT product_id, quantity FROM reservation_items WHERE reservation_id = ?");
  items.bind(1, reservation_id);
  while (items.executeStep()) {
    json.BeginObject()
        .Key("productId")
        .String(items.getColumn(0).getString())
        .Key("quantity")
        .Int(items.getColumn(1).getInt64())
        .EndObject();
    text << " " << Printable(items.getColumn(0).getString()) << "x" << Printable(items.getColumn(1).getString());
  }
  json.EndArray().EndObject();
  text << "\n";
}

void DescribeNotifications(const Context& context, const std::string& order_id, JsonWriter& json, std::ostream& text) {
  auto notifications = context.Open(DatabaseOf("notification-service"));
  SQLite::Statement sent(*notifications,
                         "SELECT kind, message, created_at FROM notifications WHERE order_id = ? ORDER BY created_at");
  sent.bind(1, order_id);
  json.Key("notifications").BeginArray();
  text << "notifications:\n";
  while (sent.executeStep()) {
    json.BeginObject()
        .Key("kind")
        .String(sent.getColumn(0).getString())
        .Key("message")
        .String(sent.getColumn(1).getString())
        .Key("at")
        .String(sent.getColumn(2).getString())
        .EndObject();
    text << "  " << Printable(sent.getColumn(2).getString()) << "  " << Printable(sent.getColumn(0).getString()) << ": "
         << Printable(sent.getColumn(1).getString()) << "\n";
  }
  json.EndArray();
}

// Every service's outbox rows not yet published whose payload mentions the order.
void DescribeUnpublished(const Context& context, const std::string& order_id, JsonWriter& json, std::ostream& text) {
  json.Key("unpublished").BeginArray();
  text << "outbox rows about this order not yet published:";
  int unpublished = 0;
  for (const auto& [service, file] : ServiceDatabases()) {
    auto db = context.Open(file);
    SQLite::Statement rows(*db,
                           "SELECT id, topic, created_at FROM outbox WHERE published_at IS NULL AND payload LIKE ?");
    rows.bind(1, "%" + order_id + "%");
    while (rows.executeStep()) {
      ++unpublished;
      json.BeginObject()
          .Key("service")
          .String(service)
          .Key("id")
          .Int(rows.getColumn(0).getInt64())
          .Key("topic")
          .String(rows.getColumn(1).getString())
          .Key("createdAt")
          .String(rows.getColumn(2).getString())
          .EndObject();
      text << "\n  " << Printable(service) << " #" << Printable(rows.getColumn(0).getString()) << " "
           << Printable(rows.getColumn(1).getString()) << " since " << Printable(rows.getColumn(2).getString());
    }
  }
  json.EndArray();
  text << (unpublished == 0 ? " none\n" : "\n");
}

}  // namespace

int StatusCommand(const Context& context, const CommandLine& command_line) {
  const std::string& order_id = OneOrderId(command_line);
  JsonWriter json;
  std::ostringstream text;
  json.BeginObject();
  const std::string order_status = DescribeOrder(context, order_id, json, text);
  DescribeSaga(context, order_id, order_status, json, text);
  DescribePayment(context, order_id, json, text);
  DescribeReservation(context, order_id, json, text);
  DescribeNotifications(context, order_id, json, text);
  DescribeUnpublished(context, order_id, json, text);
  json.EndObject();
  *context.out << (context.json ? json.str() + "\n" : text.str());
  return 0;
}

}  // namespace sagaflow::sagactl

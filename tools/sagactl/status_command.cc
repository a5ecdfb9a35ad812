// status <orderId>: the read model's view of one order (readmodel::ReadModel::StatusOfOrder), one section per
// database in the order an order passes through them, each written to both the JSON document and the text; the text
// or the JSON is printed only once every section has been read.
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/json_writer.h"
#include "common/money.h"
#include "common/time_format.h"
#include "readmodel/waiting.h"
#include "tools/sagactl/commands.h"
#include "tools/sagactl/table.h"

namespace sagaflow::sagactl {

namespace {

using readmodel::OrderStatus;

// " (<text>)" if it has anything to print, else "".
std::string InParentheses(const std::string& text) {
  const std::string printable = Printable(text);
  return printable.empty() ? "" : " (" + printable + ")";
}

std::string TimeOrEmpty(const std::optional<TimePoint>& at) {
  return at ? FormatIso8601(*at) : "";
}

void DescribeHistory(const std::vector<readmodel::HistoryEntry>& history, JsonWriter& json, std::ostream& text) {
  json.Key("history").BeginArray();
  text << "  history:\n";
  for (const auto& entry : history) {
    json.BeginObject().Key("at").String(entry.at).Key("event").String(entry.event).EndObject();
    text << "    " << Printable(entry.at) << "  " << Printable(entry.event) << "\n";
  }
  json.EndArray();
}

void DescribeOrder(const readmodel::OrderRecord& order, JsonWriter& json, std::ostream& text) {
  json.Key("orderId")
      .String(order.order_id)
      .Key("order")
      .BeginObject()
      .Key("customerId")
      .String(order.customer_id)
      .Key("status")
      .String(order.status)
      .Key("reason")
      .String(order.reason)
      .Key("totalAmount")
      .Raw(FormatMoney(order.total_cents))
      .Key("createdAt")
      .String(order.created_at)
      .Key("updatedAt")
      .String(order.updated_at);
  text << "order " << Printable(order.order_id) << "\n  customer " << Printable(order.customer_id) << ", status "
       << Printable(order.status) << InParentheses(order.reason) << ", total " << FormatMoney(order.total_cents)
       << ", created " << Printable(order.created_at) << ", updated " << Printable(order.updated_at) << "\n";
  DescribeHistory(order.history, json, text);
  json.EndObject();
}

void DescribeSteps(const std::vector<readmodel::StepRecord>& steps, JsonWriter& json, std::ostream& text) {
  Table table({"step", "status", "attempts", "comp.attempts", "deadline", "last reply"});
  json.Key("steps").BeginArray();
  for (const auto& step : steps) {
    table.Add({step.step, step.status, std::to_string(step.attempts), std::to_string(step.compensation_attempts),
               TimeOrEmpty(step.deadline), step.last_reply});
    json.BeginObject()
        .Key("step")
        .String(step.step)
        .Key("status")
        .String(step.status)
        .Key("attempts")
        .Int(step.attempts)
        .Key("compensationAttempts")
        .Int(step.compensation_attempts)
        .Key("deadline")
        .String(TimeOrEmpty(step.deadline))
        .Key("lastReply")
        .String(step.last_reply)
        .EndObject();
  }
  json.EndArray();
  text << table.Render();
}

void DescribeWaiting(const readmodel::SagaView& saga, JsonWriter& json, std::ostream& text) {
  json.Key("waiting").BeginArray();
  for (const auto& wait : saga.waiting) {
    const std::string line = readmodel::Explain(wait, saga.saga.correlation_id);
    json.String(line);
    text << "  why waiting: " << Printable(line) << "\n";
  }
  json.EndArray();
}

void DescribeSaga(const OrderStatus& status, JsonWriter& json, std::ostream& text) {
  json.Key("saga");
  if (!status.saga) {
    json.Null();
    text << "saga: none yet (orders/created not received by the orchestrator";
    text << (status.order.status == "PENDING" ? "; the order service's nudge will publish it again)\n" : ")\n");
    return;
  }
  const readmodel::SagaRow& saga = status.saga->saga;
  json.BeginObject()
      .Key("sagaId")
      .String(saga.saga_id)
      .Key("state")
      .String(saga.state)
      .Key("failureReason")
      .String(saga.failure_reason)
      .Key("updatedAt")
      .String(saga.updated_at);
  text << "saga " << Printable(saga.saga_id) << ": " << Printable(saga.state) << InParentheses(saga.failure_reason)
       << ", updated " << Printable(saga.updated_at) << "\n";
  DescribeSteps(status.saga->steps, json, text);
  DescribeWaiting(*status.saga, json, text);
  json.EndObject();
}

void DescribePayment(const std::optional<readmodel::PaymentRecord>& payment, JsonWriter& json, std::ostream& text) {
  json.Key("payment");
  if (!payment) {
    json.Null();
    text << "payment: none\n";
    return;
  }
  json.BeginObject()
      .Key("paymentId")
      .String(payment->payment_id)
      .Key("amount")
      .Raw(FormatMoney(payment->amount_cents))
      .Key("status")
      .String(payment->status)
      .EndObject();
  text << "payment " << Printable(payment->payment_id) << ": " << Printable(payment->status) << " "
       << FormatMoney(payment->amount_cents) << "\n";
}

void DescribeReservation(const std::optional<readmodel::ReservationRecord>& reservation, JsonWriter& json,
                         std::ostream& text) {
  json.Key("reservation");
  if (!reservation) {
    json.Null();
    text << "reservation: none\n";
    return;
  }
  json.BeginObject()
      .Key("reservationId")
      .String(reservation->reservation_id)
      .Key("status")
      .String(reservation->status)
      .Key("reason")
      .String(reservation->reason)
      .Key("items")
      .BeginArray();
  text << "reservation " << Printable(reservation->reservation_id) << ": " << Printable(reservation->status)
       << InParentheses(reservation->reason);
  for (const auto& item : reservation->items) {
    json.BeginObject().Key("productId").String(item.product_id).Key("quantity").Int(item.quantity).EndObject();
    text << " " << Printable(item.product_id) << "x" << item.quantity;
  }
  json.EndArray().EndObject();
  text << "\n";
}

void DescribeNotifications(const std::vector<readmodel::NotificationRecord>& notifications, JsonWriter& json,
                           std::ostream& text) {
  json.Key("notifications").BeginArray();
  text << "notifications:\n";
  for (const auto& sent : notifications) {
    json.BeginObject()
        .Key("kind")
        .String(sent.kind)
        .Key("message")
        .String(sent.message)
        .Key("at")
        .String(sent.created_at)
        .EndObject();
    text << "  " << Printable(sent.created_at) << "  " << Printable(sent.kind) << ": " << Printable(sent.message)
         << "\n";
  }
  json.EndArray();
}

void DescribeUnpublished(const std::vector<readmodel::UnpublishedRow>& unpublished, JsonWriter& json,
                         std::ostream& text) {
  json.Key("unpublished").BeginArray();
  text << "outbox rows about this order not yet published:";
  for (const auto& row : unpublished) {
    json.BeginObject()
        .Key("service")
        .String(row.service)
        .Key("id")
        .Int(row.id)
        .Key("topic")
        .String(row.topic)
        .Key("createdAt")
        .String(row.created_at)
        .EndObject();
    text << "\n  " << Printable(row.service) << " #" << row.id << " " << Printable(row.topic) << " since "
         << Printable(row.created_at);
  }
  json.EndArray();
  text << (unpublished.empty() ? " none\n" : "\n");
}

}  // namespace

int StatusCommand(const Context& context, const CommandLine& command_line) {
  const OrderStatus status = Checked(context.read_model().StatusOfOrder(OneOrderId(command_line)));
  JsonWriter json;
  std::ostringstream text;
  json.BeginObject();
  DescribeOrder(status.order, json, text);
  DescribeSaga(status, json, text);
  DescribePayment(status.services.payment, json, text);
  DescribeReservation(status.services.reservation, json, text);
  DescribeNotifications(status.services.notifications, json, text);
  DescribeUnpublished(status.services.unpublished, json, text);
  json.EndObject();
  *context.out << (context.json ? json.str() + "\n" : text.str());
  return 0;
}

}  // namespace sagaflow::sagactl

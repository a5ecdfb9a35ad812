#include "services/payment/payments.h"

#include <optional>

#include "common/json.h"
#include "common/json_writer.h"
#include "common/time_format.h"
#include "manifest/topics.h"
#include "messaging/idempotency_keys.h"

namespace sagaflow::payment {

namespace {

struct PaymentRow {
  std::string payment_id;
  Cents amount_cents = 0;
  std::string status;
};

std::optional<PaymentRow> Load(storage::Sql& sql, const std::string& order_id) {
  auto& select = sql.Prepare("SELECT payment_id, amount_cents, status FROM payments WHERE order_id = ?");
  select.bind(1, order_id);
  if (!select.executeStep()) return std::nullopt;
  return PaymentRow{select.getColumn(0).getString(), select.getColumn(1).getInt64(), select.getColumn(2).getString()};
}

void Insert(storage::UnitOfWork& uow, const std::string& order_id, const PaymentRow& row, const std::string& at) {
  auto& insert = uow.Prepare(
      "INSERT INTO payments(order_id, payment_id, amount_cents, status, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, order_id);
  insert.bind(2, row.payment_id);
  insert.bind(3, row.amount_cents);
  insert.bind(4, row.status);
  insert.bind(5, at);
  insert.bind(6, at);
  insert.exec();
}

}  // namespace

Result<commands::CommandReply> Payments::Process(storage::UnitOfWork& uow, simdjson::dom::object command,
                                                 const std::string& order_id, const std::string& key) {
  auto amount = GetMoney(command, "amount");
  if (!amount.ok()) return amount.status();
  const std::string at = FormatIso8601(clock_.Now());
  auto row = Load(uow, order_id);
  std::string reason;
  if (!row) {
    row =
        PaymentRow{NewTimeOrderedUuid(clock_.Now(), random_), *amount, *amount > limit_cents_ ? "DECLINED" : "CHARGED"};
    Insert(uow, order_id, *row, at);
    if (row->status == "CHARGED") {
      uow.AfterDurable([this, movement = MoneyMovement{order_id, row->payment_id, row->amount_cents}] {
        gateway_.Capture(movement);
      });
    }
    logger_->info(
        "orderId={} payment {} of {} {}", order_id, row->payment_id, FormatMoney(*amount),
        row->status == "CHARGED" ? "charged" : "declined (above the limit " + FormatMoney(limit_cents_) + ")");
  } else {
    logger_->info("orderId={} payments/process for a payment already {}", order_id, row->status);
  }
  bool success = row->status == "CHARGED";
  if (row->status == "DECLINED") reason = "payment_declined";
  if (row->status == "REFUNDED" || row->status == "VOIDED") reason = "cancelled";
  JsonWriter json;
  json.BeginObject()
      .Key("messageId")
      .String(NewTimeOrderedUuid(clock_.Now(), random_))
      .Key("orderId")
      .String(order_id)
      .Key("idempotencyKey")
      .String(key)
      .Key("paymentId")
      .String(row->payment_id)
      .Key("amount")
      .Raw(FormatMoney(row->amount_cents))
      .Key("success")
      .Bool(success);
  if (!success) json.Key("reason").String(reason);
  json.Key("processedAt").String(at).EndObject();
  return commands::CommandReply{std::string(topics::kPaymentProcessed), json.Take()};
}

Result<commands::CommandReply> Payments::Refund(storage::UnitOfWork& uow, simdjson::dom::object command,
                                                const std::string& order_id, const std::string& key) {
  const std::string at = FormatIso8601(clock_.Now());
  auto row = Load(uow, order_id);
  std::string status;
  if (!row) {
    auto amount = GetMoney(command, "amount");
    Insert(uow, order_id, PaymentRow{NewTimeOrderedUuid(clock_.Now(), random_), amount.ok() ? *amount : 0, "VOIDED"},
           at);
    status = "VOIDED";
    logger_->info("orderId={} refund before any charge: payment voided, a later charge is refused", order_id);
  } else if (row->status == "CHARGED") {
    auto& update = uow.Prepare("UPDATE payments SET status = 'REFUNDED', updated_at = ? WHERE order_id = ?");
    update.bind(1, at);
    update.bind(2, order_id);
    update.exec();
    status = "REFUNDED";
    uow.AfterDurable(
        [this, movement = MoneyMovement{order_id, row->payment_id, row->amount_cents}] { gateway_.Refund(movement); });
    logger_->info("orderId={} payment {} of {} refunded", order_id, row->payment_id, FormatMoney(row->amount_cents));
  } else {
    status = row->status;
    logger_->info("orderId={} refund: payment is {}, nothing to refund", order_id, row->status);
  }
  JsonWriter json;
  json.BeginObject()
      .Key("messageId")
      .String(NewTimeOrderedUuid(clock_.Now(), random_))
      .Key("orderId")
      .String(order_id)
      .Key("idempotencyKey")
      .String(key)
      .Key("success")
      .Bool(true)
      .Key("status")
      .String(status)
      .Key("refundedAt")
      .String(at)
      .EndObject();
  return commands::CommandReply{std::string(topics::kPaymentRefunded), json.Take()};
}

Status Payments::Register(commands::CommandProcessor& processor, messaging::Consumer& consumer, Millis process_delay) {
  Status handled = processor.Handle(
      consumer, std::string(topics::kPaymentProcess), process_delay,
      [this](storage::UnitOfWork& uow, simdjson::dom::object command, const std::string& order_id,
             const std::string& key) { return Process(uow, command, order_id, key); },
      [](std::string_view order_id) { return messaging::StepKey(order_id, messaging::kPaymentStep); });
  if (!handled.ok()) return handled;
  return processor.Handle(
      consumer, std::string(topics::kPaymentRefund), Millis(0),
      [this](storage::UnitOfWork& uow, simdjson::dom::object command, const std::string& order_id,
             const std::string& key) { return Refund(uow, command, order_id, key); },
      [](std::string_view order_id) { return messaging::CompensationKey(order_id, messaging::kPaymentStep); });
}

}  // namespace sagaflow::payment

#include "services/payment/payments.h"

#include <optional>

#include "common/time_format.h"
#include "manifest/topics.h"
#include "messaging/idempotency_keys.h"
#include "wire/payment_messages.h"

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
  auto process = wire::DecodePaymentProcess(command);
  if (!process.ok()) return process.status();
  const Cents amount = process->amount_cents;
  const std::string at = FormatIso8601(clock_.Now());
  auto row = Load(uow, order_id);
  std::string reason;
  if (!row) {
    row = PaymentRow{NewTimeOrderedUuid(clock_.Now(), random_), amount, amount > limit_cents_ ? "DECLINED" : "CHARGED"};
    Insert(uow, order_id, *row, at);
    if (row->status == "CHARGED") {
      uow.AfterDurable([this, movement = MoneyMovement{order_id, row->payment_id, row->amount_cents}] {
        gateway_.Capture(movement);
      });
    }
    logger_->info(
        "orderId={} payment {} of {} {}", order_id, row->payment_id, FormatMoney(amount),
        row->status == "CHARGED" ? "charged" : "declined (above the limit " + FormatMoney(limit_cents_) + ")");
  } else {
    logger_->info("orderId={} payments/process for a payment already {}", order_id, row->status);
  }
  if (row->status == "DECLINED") reason = "payment_declined";
  if (row->status == "REFUNDED" || row->status == "VOIDED") reason = "cancelled";
  const wire::PaymentProcessed reply{.message_id = NewTimeOrderedUuid(clock_.Now(), random_),
                                     .order_id = order_id,
                                     .idempotency_key = key,
                                     .payment_id = row->payment_id,
                                     .amount_cents = row->amount_cents,
                                     .success = row->status == "CHARGED",
                                     .reason = reason,
                                     .processed_at = at};
  return commands::CommandReply{std::string(wire::PaymentProcessed::kTopic), wire::Encode(reply)};
}

Result<commands::CommandReply> Payments::Refund(storage::UnitOfWork& uow, simdjson::dom::object command,
                                                const std::string& order_id, const std::string& key) {
  auto refund = wire::DecodePaymentRefund(command);
  if (!refund.ok()) return refund.status();
  const std::string at = FormatIso8601(clock_.Now());
  auto row = Load(uow, order_id);
  std::string status;
  if (!row) {
    Insert(uow, order_id,
           PaymentRow{NewTimeOrderedUuid(clock_.Now(), random_), refund->amount_cents.value_or(0), "VOIDED"}, at);
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
  const wire::PaymentRefunded reply{.message_id = NewTimeOrderedUuid(clock_.Now(), random_),
                                    .order_id = order_id,
                                    .idempotency_key = key,
                                    .success = true,
                                    .status = status,
                                    .refunded_at = at};
  return commands::CommandReply{std::string(wire::PaymentRefunded::kTopic), wire::Encode(reply)};
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

#include "wire/payment_messages.h"

#include "common/json.h"
#include "wire/common_fields.h"

namespace sagaflow::wire {

std::string Encode(const PaymentProcess& message) {
  JsonWriter json = BeginKeyedMessage(message.message_id, message.order_id, message.idempotency_key);
  WriteIfSet(json, "customerId", message.customer_id);
  json.Key("amount").Raw(FormatMoney(message.amount_cents)).EndObject();
  return json.Take();
}

std::string Encode(const PaymentProcessed& message) {
  JsonWriter json = BeginKeyedMessage(message.message_id, message.order_id, message.idempotency_key);
  WriteIfSet(json, "paymentId", message.payment_id);
  WriteIfSet(json, "amount", message.amount_cents);
  json.Key("success").Bool(message.success);
  WriteIfSet(json, "reason", message.reason);
  WriteIfSet(json, "processedAt", message.processed_at);
  json.EndObject();
  return json.Take();
}

std::string Encode(const PaymentRefund& message) {
  JsonWriter json = BeginKeyedMessage(message.message_id, message.order_id, message.idempotency_key);
  WriteIfSet(json, "amount", message.amount_cents);
  json.EndObject();
  return json.Take();
}

std::string Encode(const PaymentRefunded& message) {
  JsonWriter json = BeginKeyedMessage(message.message_id, message.order_id, message.idempotency_key);
  json.Key("success").Bool(message.success);
  WriteIfSet(json, "status", message.status);
  WriteIfSet(json, "refundedAt", message.refunded_at);
  json.EndObject();
  return json.Take();
}

Result<PaymentProcess> DecodePaymentProcess(simdjson::dom::object body) {
  FieldReader read(body);
  PaymentProcess message;
  ReadKeyedMessageStart(read, message);
  message.customer_id = read.OptionalString("customerId");
  message.amount_cents = read.Money("amount");
  return read.Finish(std::move(message));
}

Result<PaymentProcessed> DecodePaymentProcessed(simdjson::dom::object body) {
  FieldReader read(body);
  PaymentProcessed message;
  ReadKeyedMessageStart(read, message);
  message.payment_id = read.OptionalString("paymentId");
  message.amount_cents = read.OptionalMoney("amount");
  message.success = read.Bool("success");
  message.reason = read.OptionalString("reason");
  message.processed_at = read.OptionalString("processedAt");
  return read.Finish(std::move(message));
}

Result<PaymentRefund> DecodePaymentRefund(simdjson::dom::object body) {
  FieldReader read(body);
  PaymentRefund message;
  ReadKeyedMessageStart(read, message);
  // A refund is carried out whatever its amount says (a compensation always succeeds), so an amount that is not
  // money is left out rather than refused: refusing it would leave a charge that can never be refunded.
  if (auto amount = GetMoney(body, "amount"); amount.ok()) message.amount_cents = *amount;
  return read.Finish(std::move(message));
}

Result<PaymentRefunded> DecodePaymentRefunded(simdjson::dom::object body) {
  FieldReader read(body);
  PaymentRefunded message;
  ReadKeyedMessageStart(read, message);
  message.success = read.Bool("success");
  message.status = read.OptionalString("status");
  message.refunded_at = read.OptionalString("refundedAt");
  return read.Finish(std::move(message));
}

}  // namespace sagaflow::wire

// The payment step's messages, between the orchestrator and the payment service (the rules a participant follows are
// in docs/participants.md; the fields are here). Encode writes the bytes the payment service publishes, and the order
// saga's definition writes for the commands: fields in this order, money with two decimals. DecodeX fails with
// InvalidArgument naming the first field that is missing or of the wrong type; a field marked optional may be absent
// (read as empty), since another writer (a definition's payload, a participant in another language) may leave it out,
// and is written only when it has a value. Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "common/money.h"
#include "common/status.h"
#include "manifest/topics.h"

namespace sagaflow::wire {

// payments/process: charge the order's total.
struct PaymentProcess {
  static constexpr std::string_view kTopic = topics::kPaymentProcess;
  std::string message_id;
  std::string order_id;
  std::string idempotency_key;  // <orderId>:payment
  std::string customer_id;      // optional: the payment service does not act on it
  Cents amount_cents = 0;
};

// payments/processed: the charge's outcome; a decline says why.
struct PaymentProcessed {
  static constexpr std::string_view kTopic = topics::kPaymentProcessed;
  std::string message_id;
  std::string order_id;
  std::string idempotency_key;
  std::string payment_id;             // optional
  std::optional<Cents> amount_cents;  // optional: the orchestrator requires it of a success only
  bool success = false;
  std::string reason;        // optional: on a failure (payment_declined, cancelled)
  std::string processed_at;  // optional
};

// payments/refund: undo the charge, or make sure that none happens later.
struct PaymentRefund {
  static constexpr std::string_view kTopic = topics::kPaymentRefund;
  std::string message_id;
  std::string order_id;
  std::string idempotency_key;        // <orderId>:payment:compensation
  std::optional<Cents> amount_cents;  // optional, and left out if not money: a refund is carried out whatever it says
};

// payments/refunded: the refund is done (success is always true); status says what the payment became.
struct PaymentRefunded {
  static constexpr std::string_view kTopic = topics::kPaymentRefunded;
  std::string message_id;
  std::string order_id;
  std::string idempotency_key;
  bool success = true;
  std::string status;       // optional: REFUNDED, VOIDED (refunded before any charge), or the unchanged DECLINED
  std::string refunded_at;  // optional
};

std::string Encode(const PaymentProcess& message);
std::string Encode(const PaymentProcessed& message);
std::string Encode(const PaymentRefund& message);
std::string Encode(const PaymentRefunded& message);

Result<PaymentProcess> DecodePaymentProcess(simdjson::dom::object body);
Result<PaymentProcessed> DecodePaymentProcessed(simdjson::dom::object body);
Result<PaymentRefund> DecodePaymentRefund(simdjson::dom::object body);
Result<PaymentRefunded> DecodePaymentRefunded(simdjson::dom::object body);

}  // namespace sagaflow::wire

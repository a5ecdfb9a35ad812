// Payments: what payment-service does with payments/process and payments/refund, as CommandProcessor
// executors over payments.db. One payment row per order:
//   process: none -> CHARGED (or DECLINED above the limit, reason payment_declined); an order already
//            REFUNDED or VOIDED is never charged (reply: failure, reason cancelled).
//   refund:  CHARGED -> REFUNDED; none -> VOIDED (so a late or retried process never charges);
//            DECLINED, REFUNDED and VOIDED stay as they are. Refunds always succeed.
// A charge or refund moves money through the PaymentGateway only once its row is on disk.
#pragma once

#include "common/clock.h"
#include "common/logging.h"
#include "common/money.h"
#include "common/random.h"
#include "services/commands/command_processor.h"
#include "services/payment/payment_gateway.h"

namespace sagaflow::payment {

class Payments {
 public:
  Payments(const Clock& clock, RandomSource& random, Logger logger, Cents limit_cents, PaymentGateway& gateway)
      : clock_(clock), random_(random), logger_(std::move(logger)), limit_cents_(limit_cents), gateway_(gateway) {}

  Result<commands::CommandReply> Process(storage::UnitOfWork& uow, simdjson::dom::object command,
                                         const std::string& order_id, const std::string& key);
  Result<commands::CommandReply> Refund(storage::UnitOfWork& uow, simdjson::dom::object command,
                                        const std::string& order_id, const std::string& key);

  // Routes payments/process (after `process_delay`) and payments/refund (at once) to this object, each
  // accepted only under its own idempotency key: <orderId>:payment and <orderId>:payment:compensation.
  Status Register(commands::CommandProcessor& processor, messaging::Consumer& consumer, Millis process_delay);

 private:
  const Clock& clock_;
  RandomSource& random_;
  Logger logger_;
  Cents limit_cents_;
  PaymentGateway& gateway_;
};

}  // namespace sagaflow::payment

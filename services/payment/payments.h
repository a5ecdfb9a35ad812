// Payments: what payment-service does with payments/process and payments/refund, as CommandProcessor
// executors over payments.db. One payment row per order:
//   process: none -> CHARGED (or DECLINED above the limit, reason payment_declined); an order already
//            REFUNDED or VOIDED is never charged (reply: failure, reason cancelled).
//   refund:  CHARGED -> REFUNDED; none -> VOIDED (so a late or retried process never charges);
//            DECLINED, REFUNDED and VOIDED stay as they are. Refunds always succeed.
#pragma once

#include "common/clock.h"
#include "common/logging.h"
#include "common/money.h"
#include "common/random.h"
#include "services/commands/command_processor.h"

namespace sagaflow::payment {

class Payments {
 public:
  Payments(const Clock& clock, RandomSource& random, Logger logger, Cents limit_cents)
      : clock_(clock), random_(random), logger_(std::move(logger)), limit_cents_(limit_cents) {}

  Result<commands::CommandReply> Process(storage::UnitOfWork& uow, simdjson::dom::object command,
                                         const std::string& order_id, const std::string& key);
  Result<commands::CommandReply> Refund(storage::UnitOfWork& uow, simdjson::dom::object command,
                                        const std::string& order_id, const std::string& key);

 private:
  const Clock& clock_;
  RandomSource& random_;
  Logger logger_;
  Cents limit_cents_;
};

}  // namespace sagaflow::payment

// PaymentGateway: where money really moves, outside our databases (a card network, a bank).
//
// Payments decides (it authorizes: today a simulated limit rule) and records the payment in one
// transaction; the gateway is asked to capture or refund only once that record is on disk
// (UnitOfWork::AfterDurable). So a power loss never leaves money moved that our records do not show,
// and the record, keyed by order, dedupes it: each payment is captured at most once and refunded at
// most once. A real gateway also takes the payment id as its own idempotency key. Calls come on the
// database's syncer thread, in commit order; a slow gateway should queue rather than block it.
#pragma once

#include <string>

#include "common/logging.h"
#include "common/money.h"

namespace sagaflow::payment {

struct MoneyMovement {
  std::string order_id;
  std::string payment_id;
  Cents amount_cents = 0;
};

class PaymentGateway {
 public:
  virtual ~PaymentGateway() = default;
  virtual void Capture(const MoneyMovement& movement) = 0;
  virtual void Refund(const MoneyMovement& movement) = 0;
};

// The default: no card network; one log line per movement.
class LogGateway final : public PaymentGateway {
 public:
  explicit LogGateway(Logger logger) : logger_(std::move(logger)) {}
  void Capture(const MoneyMovement& movement) override;
  void Refund(const MoneyMovement& movement) override;

 private:
  Logger logger_;
};

}  // namespace sagaflow::payment

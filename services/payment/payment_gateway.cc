#include "services/payment/payment_gateway.h"

namespace sagaflow::payment {

void LogGateway::Capture(const MoneyMovement& movement) {
  logger_->info("orderId={} gateway: captured {} for payment {}", movement.order_id, FormatMoney(movement.amount_cents),
                movement.payment_id);
}

void LogGateway::Refund(const MoneyMovement& movement) {
  logger_->info("orderId={} gateway: refunded {} for payment {}", movement.order_id, FormatMoney(movement.amount_cents),
                movement.payment_id);
}

}  // namespace sagaflow::payment

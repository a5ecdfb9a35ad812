#include "services/notification/notifier.h"

#include "common/time_format.h"
#include "manifest/topics.h"
#include "wire/inventory_messages.h"
#include "wire/notification_messages.h"
#include "wire/order_messages.h"
#include "wire/payment_messages.h"

namespace sagaflow::notification {

void LogSink::Send(const Notification& notification) {
  logger_->info("orderId={} notification {}: {}", notification.order_id, notification.kind, notification.message);
}

Status Notifier::Register(messaging::Consumer& consumer) {
  for (std::string_view topic :
       {topics::kOrderCreated, topics::kPaymentProcessed, topics::kInventoryReserved, topics::kOrderCompleted,
        topics::kOrderCancelled, topics::kPaymentRefunded, topics::kInventoryReleased}) {
    // No inbox: a notification is recorded once per (order, kind), and a repeated outcome must be
    // acknowledged again anyway (the orchestrator re-sends it until it is).
    Status registered = consumer.On(
        std::string(topic),
        [this](storage::UnitOfWork& uow, const messaging::Envelope& m) { return OnMessage(uow, m); },
        messaging::Consumer::Dedupe::kByHandler);
    if (!registered.ok()) return registered;
  }
  return Status::Ok();
}

namespace {

// Hands the message, decoded with `decode`, to `handle`; a message that does not decode is refused (dead-lettered).
template <typename Decode, typename Handle>
Status WithDecoded(const messaging::Envelope& message, Decode decode, Handle handle) {
  auto decoded = decode(message.body);
  if (!decoded.ok()) return decoded.status();
  handle(*decoded);
  return Status::Ok();
}

}  // namespace

Status Notifier::OnMessage(storage::UnitOfWork& uow, const messaging::Envelope& message) {
  const std::string order_id(message.correlation_id);
  const std::string_view topic = message.topic;
  if (topic == wire::OrderCreated::kTopic) {
    return WithDecoded(message, wire::DecodeOrderCreated, [&](const wire::OrderCreated& created) {
      Notify(uow, {order_id, "order_received", "Order confirmation email sent to " + created.customer_id});
    });
  }
  if (topic == wire::PaymentProcessed::kTopic) {
    return WithDecoded(message, wire::DecodePaymentProcessed, [&](const wire::PaymentProcessed& processed) {
      if (processed.success) {
        Notify(uow, {order_id, "payment_confirmed", "Payment confirmation for Order " + order_id});
      } else if (processed.reason == "payment_declined") {
        // Other failures (a charge refused because the order was already cancelled) concern nobody.
        Notify(uow, {order_id, "payment_declined", "Payment declined for Order " + order_id});
      }
    });
  }
  if (topic == wire::InventoryReserved::kTopic) {
    return WithDecoded(message, wire::DecodeInventoryReserved, [&](const wire::InventoryReserved& reserved) {
      if (reserved.success) {
        Notify(uow, {order_id, "inventory_confirmed", "Inventory confirmation for Order " + order_id});
      }
    });
  }
  if (topic == wire::PaymentRefunded::kTopic) {
    return WithDecoded(message, wire::DecodePaymentRefunded, [&](const wire::PaymentRefunded& refunded) {
      if (refunded.status == "REFUNDED") {
        Notify(uow, {order_id, "payment_refunded", "Refund issued for Order " + order_id});
      }
    });
  }
  if (topic == wire::InventoryReleased::kTopic) {
    return WithDecoded(message, wire::DecodeInventoryReleased, [&](const wire::InventoryReleased& released) {
      if (released.status == "RELEASED") {
        Notify(uow, {order_id, "inventory_released", "Reserved stock returned for Order " + order_id});
      }
    });
  }
  return OnOutcome(uow, message);
}

Status Notifier::OnOutcome(storage::UnitOfWork& uow, const messaging::Envelope& message) {
  const std::string order_id(message.correlation_id);
  if (message.topic == wire::OrderCompleted::kTopic) {
    return WithDecoded(message, wire::DecodeOrderCompleted, [&](const wire::OrderCompleted& completed) {
      Notify(uow, {order_id, "order_completed", "Order " + order_id + " is confirmed and on its way"});
      Acknowledge(uow, order_id, completed.idempotency_key, "order_completed");
    });
  }
  if (message.topic == wire::OrderCancelled::kTopic) {
    return WithDecoded(message, wire::DecodeOrderCancelled, [&](const wire::OrderCancelled& cancelled) {
      const std::string reason = cancelled.reason.empty() ? "unknown" : cancelled.reason;
      Notify(uow, {order_id, "order_cancelled", "Order " + order_id + " was cancelled (" + reason + ")"});
      Acknowledge(uow, order_id, cancelled.idempotency_key, "order_cancelled");
    });
  }
  return Status::Ok();
}

void Notifier::Notify(storage::UnitOfWork& uow, Notification notification) {
  auto& insert = uow.Prepare(
      "INSERT OR IGNORE INTO notifications(idempotency_key, order_id, kind, message, created_at) "
      "VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, notification.order_id + ":" + notification.kind);
  insert.bind(2, notification.order_id);
  insert.bind(3, notification.kind);
  insert.bind(4, notification.message);
  insert.bind(5, FormatIso8601(clock_.Now()));
  if (insert.exec() == 0) {
    logger_->debug("orderId={} notification {} already sent", notification.order_id, notification.kind);
    return;
  }
  // The row dedupes the notification: it is sent once the row is on disk, so a power loss cannot make
  // it be sent twice (at most once, then: a crash between the fsync and the send loses it).
  uow.AfterDurable([this, notification = std::move(notification)] { sink_.Send(notification); });
}

void Notifier::Acknowledge(storage::UnitOfWork& uow, const std::string& order_id, const std::string& key,
                           const std::string& kind) {
  const wire::NotificationSent sent{NewTimeOrderedUuid(clock_.Now(), random_), order_id, key, kind,
                                    FormatIso8601(clock_.Now())};
  outbox_.Append(uow, wire::NotificationSent::kTopic, wire::Encode(sent));
}

}  // namespace sagaflow::notification

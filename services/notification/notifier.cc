#include "services/notification/notifier.h"

#include "common/json.h"
#include "common/json_writer.h"
#include "common/time_format.h"
#include "manifest/topics.h"

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

Status Notifier::OnMessage(storage::UnitOfWork& uow, const messaging::Envelope& message) {
  const std::string order_id(message.correlation_id);
  const std::string_view topic = message.topic;
  const auto success = [&] {
    auto value = GetBool(message.body, "success");
    return value.ok() && *value;
  };
  if (topic == topics::kOrderCreated) {
    auto customer = GetString(message.body, "customerId");
    if (!customer.ok()) return customer.status();
    Notify(uow, {order_id, "order_received", "Order confirmation email sent to " + std::string(*customer)});
  } else if (topic == topics::kPaymentProcessed) {
    if (success()) {
      Notify(uow, {order_id, "payment_confirmed", "Payment confirmation for Order " + order_id});
    } else if (GetStringOr(message.body, "reason", "") == "payment_declined") {
      // Other failures (a charge refused because the order was already cancelled) concern nobody.
      Notify(uow, {order_id, "payment_declined", "Payment declined for Order " + order_id});
    }
  } else if (topic == topics::kInventoryReserved) {
    if (success()) Notify(uow, {order_id, "inventory_confirmed", "Inventory confirmation for Order " + order_id});
  } else if (topic == topics::kOrderCompleted) {
    Notify(uow, {order_id, "order_completed", "Order " + order_id + " is confirmed and on its way"});
    Acknowledge(uow, message, "order_completed");
  } else if (topic == topics::kOrderCancelled) {
    const std::string reason(GetStringOr(message.body, "reason", "unknown"));
    Notify(uow, {order_id, "order_cancelled", "Order " + order_id + " was cancelled (" + reason + ")"});
    Acknowledge(uow, message, "order_cancelled");
  } else if (topic == topics::kPaymentRefunded) {
    if (GetStringOr(message.body, "status", "") == "REFUNDED") {
      Notify(uow, {order_id, "payment_refunded", "Refund issued for Order " + order_id});
    }
  } else if (topic == topics::kInventoryReleased) {
    if (GetStringOr(message.body, "status", "") == "RELEASED") {
      Notify(uow, {order_id, "inventory_released", "Reserved stock returned for Order " + order_id});
    }
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

void Notifier::Acknowledge(storage::UnitOfWork& uow, const messaging::Envelope& message, const std::string& kind) {
  JsonWriter json;
  json.BeginObject()
      .Key("messageId")
      .String(NewTimeOrderedUuid(clock_.Now(), random_))
      .Key("orderId")
      .String(message.correlation_id)
      .Key("idempotencyKey")
      .String(GetStringOr(message.body, "idempotencyKey", ""))
      .Key("kind")
      .String(kind)
      .Key("at")
      .String(FormatIso8601(clock_.Now()))
      .EndObject();
  outbox_.Append(uow, topics::kNotificationSent, json.str());
}

}  // namespace sagaflow::notification

#include "services/order/status_updates.h"

#include "common/json.h"
#include "common/time_format.h"
#include "manifest/topics.h"
#include "services/order/order_store.h"

namespace sagaflow::order {

Status StatusUpdates::Register(messaging::Consumer& consumer) {
  for (auto [topic, handler] : {std::pair{topics::kOrderCompleted, &StatusUpdates::OnCompleted},
                                {topics::kOrderCancelled, &StatusUpdates::OnCancelled},
                                {topics::kOrderProgress, &StatusUpdates::OnProgress}}) {
    Status registered = consumer.On(
        std::string(topic),
        [this, handler](storage::UnitOfWork& uow, const messaging::Envelope& m) { return (this->*handler)(uow, m); });
    if (!registered.ok()) return registered;
  }
  return Status::Ok();
}

Status StatusUpdates::OnCompleted(storage::UnitOfWork& uow, const messaging::Envelope& message) {
  return Apply(uow, message, kCompleted, "", "completed");
}

Status StatusUpdates::OnCancelled(storage::UnitOfWork& uow, const messaging::Envelope& message) {
  auto reason = GetString(message.body, "reason");
  if (!reason.ok() || reason->empty()) return Status::InvalidArgument("reason must be a non-empty string");
  return Apply(uow, message, kCancelled, std::string(*reason), "cancelled: " + std::string(*reason));
}

Status StatusUpdates::OnProgress(storage::UnitOfWork& uow, const messaging::Envelope& message) {
  auto event = GetString(message.body, "event");
  if (!event.ok() || event->empty()) return Status::InvalidArgument("event must be a non-empty string");
  std::string_view status = GetStringOr(message.body, "status", "");
  if (!status.empty() && (!IsKnownStatus(status) || IsTerminal(status))) {
    return Status::InvalidArgument("status '" + std::string(status) + "' is not a progress status");
  }
  return Apply(uow, message, status, "", std::string(*event));
}

Status StatusUpdates::Apply(storage::UnitOfWork& uow, const messaging::Envelope& message, std::string_view status,
                            const std::string& reason, const std::string& event) {
  const std::string order_id(message.correlation_id);
  auto order = store::LoadOrder(uow, order_id, false);
  if (!order) return Status::InvalidArgument("unknown order " + order_id);
  const TimePoint now = context_.clock.Now();
  const std::string now_text = FormatIso8601(now);
  const std::string at(GetStringOr(message.body, "at", now_text));
  if (IsTerminal(order->status)) {
    // A contradicting outcome did not happen to this order, so it must not appear in its history.
    if (IsTerminal(status) && status != order->status) {
      context_.logger->error("orderId={} is {} but received {} ({}); keeping {}", order_id, order->status, status,
                             message.topic, order->status);
      return Status::Ok();
    }
    store::AddHistory(uow, order_id, at, event);
    return Status::Ok();
  }
  store::AddHistory(uow, order_id, at, event);
  std::string_view next = order->status;
  if (!status.empty() && CanAdvance(order->status, status)) next = status;
  const std::optional<int64_t> nudge_at =
      IsTerminal(next) ? std::nullopt : std::optional<int64_t>(ToEpochMillis(now + context_.nudge_after));
  store::UpdateStatus(uow, order_id, next, std::string(next) == kCancelled ? reason : order->reason, now_text,
                      nudge_at);
  if (next != order->status) {
    context_.logger->info("orderId={} {} -> {}{}", order_id, order->status, next,
                          reason.empty() ? "" : " reason=" + reason);
  }
  return Status::Ok();
}

}  // namespace sagaflow::order

#include "services/order/status_updates.h"

#include "common/time_format.h"
#include "manifest/topics.h"
#include "services/order/order_store.h"
#include "wire/order_messages.h"

namespace sagaflow::order {

Status StatusUpdates::Register(messaging::Consumer& consumer) {
  for (auto [topic, handler] : {std::pair{topics::kOrderCompleted, &StatusUpdates::OnCompleted},
                                {topics::kOrderCancelled, &StatusUpdates::OnCancelled},
                                {topics::kOrderProgress, &StatusUpdates::OnProgress}}) {
    Status registered = consumer.On(
        std::string(topic),
        // Under a name of its own: clang (and so clang-tidy) refuses to capture a structured binding.
        [this, on = handler](storage::UnitOfWork& uow, const messaging::Envelope& m) { return (this->*on)(uow, m); });
    if (!registered.ok()) return registered;
  }
  return Status::Ok();
}

Status StatusUpdates::OnCompleted(storage::UnitOfWork& uow, const messaging::Envelope& message) {
  auto completed = wire::DecodeOrderCompleted(message.body);
  if (!completed.ok()) return completed.status();
  return Apply(uow, message, kCompleted, "", "completed", completed->at);
}

Status StatusUpdates::OnCancelled(storage::UnitOfWork& uow, const messaging::Envelope& message) {
  auto cancelled = wire::DecodeOrderCancelled(message.body);
  if (!cancelled.ok()) return cancelled.status();
  // The wire lets a definition leave the reason out; a cancelled order must say why.
  if (cancelled->reason.empty()) return Status::InvalidArgument("reason must be a non-empty string");
  return Apply(uow, message, kCancelled, cancelled->reason, "cancelled: " + cancelled->reason, cancelled->at);
}

Status StatusUpdates::OnProgress(storage::UnitOfWork& uow, const messaging::Envelope& message) {
  auto progress = wire::DecodeOrderProgress(message.body);
  if (!progress.ok()) return progress.status();
  if (progress->event.empty()) return Status::InvalidArgument("event must be a non-empty string");
  const std::string& status = progress->status;
  if (!status.empty() && (!IsKnownStatus(status) || IsTerminal(status))) {
    return Status::InvalidArgument("status '" + status + "' is not a progress status");
  }
  // A failed step's reason is part of what happened to the order, as a cancellation's is.
  const std::string event = progress->reason.empty() ? progress->event : progress->event + ": " + progress->reason;
  return Apply(uow, message, status, "", event, progress->at);
}

Status StatusUpdates::Apply(storage::UnitOfWork& uow, const messaging::Envelope& message, std::string_view status,
                            const std::string& reason, const std::string& event, const std::string& event_at) {
  const std::string order_id(message.correlation_id);
  auto order = store::LoadOrder(uow, order_id, false);
  if (!order) return Status::InvalidArgument("unknown order " + order_id);
  const TimePoint now = context_.clock.Now();
  const std::string now_text = FormatIso8601(now);
  const std::string& at = event_at.empty() ? now_text : event_at;
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

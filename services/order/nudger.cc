#include "services/order/nudger.h"

#include <algorithm>

#include "manifest/topics.h"
#include "services/order/order_store.h"

namespace sagaflow::order {

namespace {

constexpr int kBatch = 500;

}  // namespace

Nudger::Nudger(OrderContext& context)
    : context_(context),
      backoff_{context.nudge_after, 2.0, context.nudge_after * 8, 0.1},
      task_(
          {.name = "nudger", .interval = std::clamp(context.nudge_after / 4, Millis(10), Millis(1000))},
          [this]() -> Result<NextPass> {
            auto nudged = RunOnce();
            if (!nudged.ok()) return nudged.status();
            return NextPass::AtInterval();
          },
          context.logger, &context.metrics, &context.random) {
  context_.metrics.Describe("sagaflow_order_nudges_total", "counter", "orders/created re-published by the nudge");
}

Result<size_t> Nudger::RunOnce() {
  size_t nudged = 0;
  for (;;) {
    const TimePoint now = context_.clock.Now();
    size_t batch = 0;
    Status status = context_.db.Write([&](storage::UnitOfWork& uow) {
      batch = 0;
      for (const auto& due : store::DueForNudge(uow, ToEpochMillis(now), kBatch)) {
        auto order = store::LoadOrder(uow, due.order_id, false);
        if (!order) continue;
        context_.outbox.Append(uow, topics::kOrderCreated,
                               OrderCreatedEvent(*order, NewTimeOrderedUuid(now, context_.random)));
        const int count = due.nudge_count + 1;
        const Millis delay = BackoffDelay(backoff_, count + 1, context_.random.NextUnit());
        store::SetNudge(uow, due.order_id, ToEpochMillis(now + delay), count);
        context_.logger->info("nudge: orderId={} still {} since {}; orders/created published again (nudge {})",
                              order->order_id, order->status, order->updated_at, count);
        ++batch;
      }
      return Status::Ok();
    });
    if (!status.ok()) return status;
    nudged += batch;
    if (batch < static_cast<size_t>(kBatch)) break;
  }
  context_.metrics.Add("sagaflow_order_nudges_total", static_cast<double>(nudged));
  return nudged;
}

}  // namespace sagaflow::order

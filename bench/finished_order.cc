#include "bench/finished_order.h"

#include "common/random.h"

namespace sagaflow::bench {

namespace {

uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// SplitMix64 from a start scrambled out of (seed, index): cheap to create per order, unlike a Mersenne
// Twister, and two orders' short sequences (28 draws) do not overlap, as they would from unscrambled
// neighbouring starts.
class OrderRandom final : public RandomSource {
 public:
  OrderRandom(uint64_t seed, int64_t index) : state_(Mix(seed ^ Mix(static_cast<uint64_t>(index) + kGamma))) {}
  uint64_t NextU64() override { return Mix(state_ += kGamma); }

 private:
  static constexpr uint64_t kGamma = 0x9E3779B97F4A7C15ULL;
  uint64_t state_;
};

}  // namespace

FinishedOrder MakeFinishedOrder(const HistoryPlan& plan, int64_t index) {
  OrderRandom random(plan.seed, index);
  FinishedOrder order;
  const int64_t span_ms = ToEpochMillis(plan.last) - ToEpochMillis(plan.first);
  const int64_t offset_ms = plan.orders > 1 ? span_ms * index / (plan.orders - 1) : 0;
  order.created_at = plan.first + Millis(offset_ms);
  // Time-ordered like the services' own ids, from the order's time (within its few milliseconds).
  for (std::string* id :
       {&order.order_id, &order.saga_id, &order.payment_id, &order.reservation_id, &order.created_message,
        &order.payment_command, &order.inventory_command, &order.payment_reply, &order.inventory_reply,
        &order.started_progress, &order.inventory_progress, &order.payment_progress, &order.outcome_message,
        &order.ack_message}) {
    *id = NewTimeOrderedUuid(order.created_at, random);
  }
  // The gaps of a real run with zero simulated delays (a dump of the five databases after one order).
  order.started_at = order.created_at + Millis(3);
  order.charged_at = order.created_at + Millis(5);
  order.reserved_at = order.created_at + Millis(6);
  order.inventory_done_at = order.created_at + Millis(10);
  order.payment_done_at = order.created_at + Millis(13);
  order.notified_at = order.created_at + Millis(15);
  order.finished_at = order.created_at + Millis(17);
  return order;
}

}  // namespace sagaflow::bench

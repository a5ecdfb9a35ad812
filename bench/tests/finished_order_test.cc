// MakeFinishedOrder: deterministic per (plan, index), distinct ids, orders spread over the plan's span,
// and the steps of one order in the order a real run takes them.
#include "bench/finished_order.h"

#include <set>

#include <gtest/gtest.h>

namespace sagaflow::bench {
namespace {

HistoryPlan Plan(int64_t orders) {
  HistoryPlan plan;
  plan.seed = 42;
  plan.orders = orders;
  plan.first = FromEpochMillis(1'700'000'000'000);
  plan.last = plan.first + std::chrono::minutes(59);
  return plan;
}

std::vector<std::string> Ids(const FinishedOrder& order) {
  return {order.order_id,        order.saga_id,          order.payment_id,         order.reservation_id,
          order.created_message, order.payment_command,  order.inventory_command,  order.payment_reply,
          order.inventory_reply, order.started_progress, order.inventory_progress, order.payment_progress,
          order.outcome_message, order.ack_message};
}

TEST(MakeFinishedOrder, IsTheSameOrderEveryTime) {
  const HistoryPlan plan = Plan(1000);
  EXPECT_EQ(Ids(MakeFinishedOrder(plan, 17)), Ids(MakeFinishedOrder(plan, 17)));
  EXPECT_EQ(MakeFinishedOrder(plan, 17).created_at, MakeFinishedOrder(plan, 17).created_at);
}

TEST(MakeFinishedOrder, EveryIdIsATimeOrderedUuidAndUnique) {
  const HistoryPlan plan = Plan(2000);
  std::set<std::string> seen;
  std::string previous_order_id;
  for (int64_t index = 0; index < plan.orders; ++index) {
    const FinishedOrder order = MakeFinishedOrder(plan, index);
    for (const auto& id : Ids(order)) {
      ASSERT_EQ(id.size(), 36u) << id;
      EXPECT_EQ(id[14], '7') << id;
      EXPECT_TRUE(seen.insert(id).second) << "duplicate " << id;
    }
    // Like the services' ids: a later order's ids sort after an earlier one's (Plan spreads them >= 1 ms).
    EXPECT_GT(order.order_id, previous_order_id);
    previous_order_id = order.order_id;
  }
}

TEST(MakeFinishedOrder, AnotherSeedMakesOtherIds) {
  HistoryPlan other = Plan(10);
  other.seed = 43;
  EXPECT_NE(MakeFinishedOrder(Plan(10), 3).order_id, MakeFinishedOrder(other, 3).order_id);
}

TEST(MakeFinishedOrder, OrdersAreSpreadEvenlyFromFirstToLast) {
  const HistoryPlan plan = Plan(101);
  EXPECT_EQ(MakeFinishedOrder(plan, 0).created_at, plan.first);
  EXPECT_EQ(MakeFinishedOrder(plan, 100).created_at, plan.last);
  EXPECT_EQ(MakeFinishedOrder(plan, 50).created_at - plan.first, (plan.last - plan.first) / 2);
}

TEST(MakeFinishedOrder, ASingleOrderIsAtTheFirstInstant) {
  EXPECT_EQ(MakeFinishedOrder(Plan(1), 0).created_at, Plan(1).first);
}

TEST(MakeFinishedOrder, StepsFollowOneAnotherAsInARealRun) {
  const FinishedOrder order = MakeFinishedOrder(Plan(10), 4);
  EXPECT_LT(order.created_at, order.started_at);
  EXPECT_LT(order.started_at, order.charged_at);
  EXPECT_LT(order.started_at, order.reserved_at);
  EXPECT_LT(order.reserved_at, order.inventory_done_at);
  EXPECT_LT(order.charged_at, order.payment_done_at);
  EXPECT_LT(order.inventory_done_at, order.payment_done_at);
  EXPECT_LT(order.payment_done_at, order.notified_at);
  EXPECT_LT(order.notified_at, order.finished_at);
}

TEST(MakeFinishedOrder, TotalIsQuantityTimesPrice) {
  HistoryPlan plan = Plan(1);
  plan.quantity = 3;
  plan.price_cents = 1999;
  EXPECT_EQ(MakeFinishedOrder(plan, 0).total_cents(plan), 5997);
}

}  // namespace
}  // namespace sagaflow::bench

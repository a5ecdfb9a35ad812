// ReadModel::OverviewAt: counts by state, the stuck rule's counts (limited), and each service's queues.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "readmodel/read_model.h"
#include "readmodel/tests/read_model_test_world.h"

namespace sagaflow::readmodel {
namespace {

using testing::At;
using testing::TimeAt;

const TimePoint kNow = TimeAt(86'400'000);

class OverviewTest : public testing::ReadModelTest {};

TEST_F(OverviewTest, CountsSagasByStateWhatIsStuckAndEachServicesQueues) {
  AddSaga({.saga_id = "r-timer", .correlation_id = "o-1", .updated_at = At(86'399'000)});
  AddStep("r-timer", "payment", "RUNNING", 4102444800000);
  AddSaga({.saga_id = "r-stuck", .correlation_id = "o-2"});
  AddSaga({.saga_id = "c-1", .correlation_id = "o-3", .state = "COMPENSATING", .updated_at = At(86'399'000)});
  AddStep("c-1", "payment", "COMPENSATING", 4102444800000);
  AddSaga({.saga_id = "f-1", .correlation_id = "o-4", .state = "FAILED"});
  AddSaga({.saga_id = "f-2", .correlation_id = "o-5", .state = "FAILED"});
  AddOrder("order-orphan", "PENDING", At(0));
  AddOrder("order-fresh", "PENDING", At(86'399'000));
  AddUnpublished("payments.db", "{}", At(86'340'000));
  AddUnpublished("payments.db", "{}", At(86'390'000));
  AddDeadLetter("inventory.db", "t", "p", "e", At(0));
  AddDeadLetter("inventory.db", "t", "p", "e", At(1));
  AddDeadLetter("orders.db", "t", "p", "e", At(2));

  auto overview = read_model().OverviewAt(kNow);
  ASSERT_TRUE(overview.ok()) << overview.status().ToString();
  EXPECT_EQ(overview->running, 2);
  EXPECT_EQ(overview->compensating, 1);
  EXPECT_EQ(overview->failed, 2);
  EXPECT_EQ(overview->stuck, 3);  // r-stuck, f-1, f-2
  EXPECT_EQ(overview->orders_without_saga, 1);
  EXPECT_FALSE(overview->counts_limited);
  ASSERT_EQ(overview->services.size(), 5U);
  const ServiceOverview& orders = overview->services[0];
  EXPECT_EQ(orders.service, "order-service");
  EXPECT_EQ(orders.unpublished, 0);
  EXPECT_EQ(orders.oldest_unpublished_at, "");
  EXPECT_FALSE(orders.oldest_unpublished_age.has_value());
  EXPECT_EQ(orders.dead_letters, 1);
  const ServiceOverview& payments = overview->services[2];
  EXPECT_EQ(payments.service, "payment-service");
  EXPECT_EQ(payments.unpublished, 2);
  EXPECT_EQ(payments.oldest_unpublished_at, At(86'340'000));
  EXPECT_EQ(payments.oldest_unpublished_age, Millis(60'000));
  EXPECT_EQ(overview->services[3].dead_letters, 2);

  // A later look: the running saga with a timer is now old enough to count as stuck.
  auto later = read_model().OverviewAt(kNow, Millis(1000));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->stuck, 5);
  EXPECT_EQ(later->orders_without_saga, 2);
}

TEST_F(OverviewTest, StopsCountingStuckSagasAtTheLimit) {
  Exec("orchestrator.db", "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
                              std::to_string(kOverviewCountLimit + 5) +
                              ") INSERT INTO sagas(saga_id, order_id, definition, state, data, created_at, updated_at) "
                              "SELECT 'bulk-' || i, 'bulk-' || i, 'order', 'RUNNING', '{}', '" +
                              At(0) + "', '" + At(0) + "' FROM n");
  auto overview = read_model().OverviewAt(kNow);
  ASSERT_TRUE(overview.ok()) << overview.status().ToString();
  EXPECT_EQ(overview->running, kOverviewCountLimit + 5);
  EXPECT_EQ(overview->stuck, kOverviewCountLimit);
  EXPECT_TRUE(overview->counts_limited);
}

}  // namespace
}  // namespace sagaflow::readmodel

// ReadModel::ListSagas (the console's listing: filters, newest first, keyset pages) and the sagactl listings
// (SagasByLastUpdate, Stuck) over the five real, migrated databases.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "readmodel/read_model.h"
#include "readmodel/tests/read_model_test_world.h"

namespace sagaflow::readmodel {
namespace {

using testing::At;
using ::testing::ElementsAre;
using testing::TimeAt;

// A time well after every row here, so that anything not updated for a minute is old.
const TimePoint kNow = TimeAt(86'400'000);

std::vector<std::string> IdsOf(const std::vector<SagaRow>& rows) {
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const auto& row : rows) ids.push_back(row.saga_id);
  return ids;
}

class SagaListingTest : public testing::ReadModelTest {
 protected:
  // Every page of the listing at `size`, as saga ids per page; fails the test on an error.
  std::vector<std::vector<std::string>> Pages(const SagaFilter& filter, int size) {
    std::vector<std::vector<std::string>> pages;
    PageRequest page{"", size};
    for (int guard = 0; guard < 100; ++guard) {
      auto listed = read_model().ListSagas(filter, page, kNow);
      EXPECT_TRUE(listed.ok()) << listed.status().ToString();
      if (!listed.ok()) break;
      pages.push_back(IdsOf(listed->rows));
      page.cursor = listed->next_cursor;
      if (page.cursor.empty()) break;
    }
    return pages;
  }

  std::vector<std::string> All(const SagaFilter& filter) {
    std::vector<std::string> ids;
    for (const auto& page : Pages(filter, kMaxPageSize)) ids.insert(ids.end(), page.begin(), page.end());
    return ids;
  }
};

TEST_F(SagaListingTest, NewestFirstWithTiesOnCreatedAtBrokenBySagaIdAcrossPageBoundaries) {
  AddSaga({.saga_id = "s-b", .correlation_id = "o-b", .created_at = At(2000)});
  AddSaga({.saga_id = "s-d", .correlation_id = "o-d", .created_at = At(1000)});
  AddSaga({.saga_id = "s-a", .correlation_id = "o-a", .created_at = At(2000)});
  AddSaga({.saga_id = "s-e", .correlation_id = "o-e", .created_at = At(3000)});
  AddSaga({.saga_id = "s-c", .correlation_id = "o-c", .created_at = At(2000)});
  // Pages of 2 end in the middle of the three created at 2000; the world's two sagas (created at 0) come last.
  EXPECT_THAT(Pages({}, 2), ElementsAre(ElementsAre("s-e", "s-c"), ElementsAre("s-b", "s-a"),
                                        ElementsAre("s-d", "saga-2"), ElementsAre("saga-1")));
  EXPECT_THAT(Pages({}, 3), ElementsAre(ElementsAre("s-e", "s-c", "s-b"), ElementsAre("s-a", "s-d", "saga-2"),
                                        ElementsAre("saga-1")));
}

TEST_F(SagaListingTest, TheLastPageHasNoCursorEvenWhenItIsFull) {
  AddSaga({.saga_id = "s-1", .correlation_id = "o-1"});
  AddSaga({.saga_id = "s-2", .correlation_id = "o-2"});
  // Four sagas in pages of two: the second page is full and last.
  const auto pages = Pages({}, 2);
  ASSERT_EQ(pages.size(), 2U);
  auto first = read_model().ListSagas({}, {"", 2}, kNow);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->next_cursor.empty());
  auto last = read_model().ListSagas({}, {first->next_cursor, 2}, kNow);
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  EXPECT_EQ(last->rows.size(), 2U);
  EXPECT_EQ(last->next_cursor, "");
  auto everything = read_model().ListSagas({}, {"", 4}, kNow);
  ASSERT_TRUE(everything.ok());
  EXPECT_EQ(everything->next_cursor, "");
}

TEST_F(SagaListingTest, MalformedCursorsAndPageSizesAreInvalidArguments) {
  for (const std::string cursor : {"zz", "abc", "61", "61.62.63", "61.6", "not a cursor", ".61.62", "6G.62"}) {
    auto listed = read_model().ListSagas({}, {cursor, 10}, kNow);
    ASSERT_FALSE(listed.ok()) << cursor;
    EXPECT_TRUE(listed.status().IsInvalidArgument()) << cursor << ": " << listed.status().ToString();
  }
  for (const int size : {0, -1, kMaxPageSize + 1}) {
    auto listed = read_model().ListSagas({}, {"", size}, kNow);
    ASSERT_FALSE(listed.ok()) << size;
    EXPECT_TRUE(listed.status().IsInvalidArgument()) << size;
  }
  EXPECT_TRUE(read_model().ListSagas({}, {"", kMaxPageSize}, kNow).ok());
  EXPECT_EQ(PageRequest{}.size, 50);
}

TEST_F(SagaListingTest, FiltersByDefinitionStateAndCorrelationIdExactly) {
  AddSaga({.saga_id = "s-trip", .correlation_id = "order-1", .definition = "trip", .created_at = At(5000)});
  AddSaga({.saga_id = "s-10", .correlation_id = "order-10", .state = "FAILED", .created_at = At(4000)});
  AddSaga({.saga_id = "s-pct", .correlation_id = "order-%", .state = "COMPENSATING", .created_at = At(3000)});
  EXPECT_THAT(All({.definition = "trip"}), ElementsAre("s-trip"));
  EXPECT_THAT(All({.definition = "order"}), ElementsAre("s-10", "s-pct", "saga-2", "saga-1"));
  EXPECT_THAT(All({.state = "FAILED"}), ElementsAre("s-10"));
  EXPECT_THAT(All({.state = "CANCELLED"}), ElementsAre("saga-2"));
  EXPECT_THAT(All({.correlation_id = "order-1"}), ElementsAre("s-trip", "saga-1"));  // not order-10
  EXPECT_THAT(All({.correlation_id = "order-%"}), ElementsAre("s-pct"));             // no LIKE
  EXPECT_THAT(All({.definition = "order", .correlation_id = "order-1"}), ElementsAre("saga-1"));
  EXPECT_THAT(All({.definition = "trip", .state = "FAILED"}), ElementsAre());
}

TEST_F(SagaListingTest, FiltersByCreatedAtFromInclusiveToExclusive) {
  AddSaga({.saga_id = "s-1000", .correlation_id = "o-1", .created_at = At(1000)});
  AddSaga({.saga_id = "s-2000", .correlation_id = "o-2", .created_at = At(2000)});
  AddSaga({.saga_id = "s-3000", .correlation_id = "o-3", .created_at = At(3000)});
  EXPECT_THAT(All({.created_from = TimeAt(1000), .created_to = TimeAt(3000)}), ElementsAre("s-2000", "s-1000"));
  EXPECT_THAT(All({.created_from = TimeAt(1001)}), ElementsAre("s-3000", "s-2000"));
  EXPECT_THAT(All({.created_to = TimeAt(1000)}), ElementsAre("saga-2", "saga-1"));
  EXPECT_THAT(All({.state = "RUNNING", .created_from = TimeAt(2000), .created_to = TimeAt(2001)}),
              ElementsAre("s-2000"));
}

TEST_F(SagaListingTest, StuckOnlyListsWhatNothingWillMoveAsStuckDoes) {
  const int64_t far = 4102444800000;  // a timer in 2100
  AddSaga({.saga_id = "no-timer", .correlation_id = "o-1", .updated_at = At(86'399'000)});
  AddStep("no-timer", "payment", "RUNNING");
  AddSaga({.saga_id = "timer-fresh", .correlation_id = "o-2", .updated_at = At(86'399'000)});
  AddStep("timer-fresh", "payment", "RUNNING", far);
  AddSaga({.saga_id = "timer-old", .correlation_id = "o-3", .state = "COMPENSATING", .updated_at = At(1000)});
  AddStep("timer-old", "payment", "COMPENSATING", far);
  AddSaga({.saga_id = "failed", .correlation_id = "o-4", .state = "FAILED", .updated_at = At(86'398'000)});
  AddSaga({.saga_id = "completed", .correlation_id = "o-5", .state = "COMPLETED", .updated_at = At(1000)});
  EXPECT_THAT(All({.stuck_only = true}), ElementsAre("timer-old", "no-timer", "failed"))
      << "same created_at: by saga id, descending";
  EXPECT_THAT(All({.state = "RUNNING", .stuck_only = true}), ElementsAre("no-timer"));
  EXPECT_THAT(All({.state = "COMPLETED", .stuck_only = true}), ElementsAre());
  EXPECT_THAT(All({.stuck_only = true, .stuck_after = Millis(86'400'000)}), ElementsAre("no-timer", "failed"));
  EXPECT_THAT(Pages({.stuck_only = true}, 1),
              ElementsAre(ElementsAre("timer-old"), ElementsAre("no-timer"), ElementsAre("failed")));

  auto stuck = read_model().Stuck(Millis(60'000), kNow);
  ASSERT_TRUE(stuck.ok()) << stuck.status().ToString();
  EXPECT_THAT(IdsOf(stuck->sagas), ElementsAre("timer-old", "failed", "no-timer"));  // by updated_at
}

TEST_F(SagaListingTest, RowsCarryEveryListedFieldAndTheEarliestTimer) {
  AddSaga({.saga_id = "s-1",
           .correlation_id = "o-1",
           .definition = "trip",
           .version = 3,
           .state = "COMPENSATING",
           .created_at = At(1000),
           .updated_at = At(2000),
           .failure_reason = "flight_full"});
  AddStep("s-1", "flight", "COMPENSATING", 4102444900000);
  AddStep("s-1", "hotel", "COMPENSATING", 4102444800000);
  AddStep("s-1", "car", "COMPENSATED");
  auto listed = read_model().ListSagas({.definition = "trip"}, {}, kNow);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->rows.size(), 1U);
  const SagaRow& row = listed->rows[0];
  EXPECT_EQ(row.saga_id, "s-1");
  EXPECT_EQ(row.correlation_id, "o-1");
  EXPECT_EQ(row.definition, "trip");
  EXPECT_EQ(row.definition_version, 3);
  EXPECT_EQ(row.state, "COMPENSATING");
  EXPECT_EQ(row.failure_reason, "flight_full");
  EXPECT_EQ(row.created_at, At(1000));
  EXPECT_EQ(row.updated_at, At(2000));
  EXPECT_EQ(row.next_timer, FromEpochMillis(4102444800000));
}

TEST_F(SagaListingTest, HostileStringsComeBackAsStoredAndPageThroughTheCursor) {
  const std::string hostile_id = "s'\"\x1b[31m\nx\\";
  const std::string hostile_correlation = "o'--\x07\r\n;DROP TABLE sagas;";
  AddSaga({.saga_id = hostile_id,
           .correlation_id = hostile_correlation,
           .created_at = At(5000),
           .failure_reason = "r\x1b[2J"});
  AddSaga({.saga_id = "s!", .correlation_id = "o-older", .created_at = At(5000)});  // sorts before it
  auto first = read_model().ListSagas({.correlation_id = hostile_correlation}, {"", 1}, kNow);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->rows.size(), 1U);
  EXPECT_EQ(first->rows[0].saga_id, hostile_id);
  EXPECT_EQ(first->rows[0].correlation_id, hostile_correlation);
  EXPECT_EQ(first->rows[0].failure_reason, "r\x1b[2J");
  // A page that ends on the hostile id goes on from it.
  EXPECT_THAT(Pages({.created_from = TimeAt(5000)}, 1), ElementsAre(ElementsAre(hostile_id), ElementsAre("s!")));
}

TEST_F(SagaListingTest, SagasByLastUpdateFiltersByStateAndAgeOldestUpdateFirst) {
  AddSaga({.saga_id = "s-new", .correlation_id = "o-1", .updated_at = At(86'399'000)});
  AddSaga({.saga_id = "s-old", .correlation_id = "o-2", .updated_at = At(500)});
  auto all = read_model().SagasByLastUpdate(std::nullopt, std::nullopt, kNow);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 4U);
  EXPECT_EQ(all->front().saga_id, "s-old");
  EXPECT_EQ(all->back().saga_id, "s-new");
  auto old_running = read_model().SagasByLastUpdate("RUNNING", Millis(60'000), kNow);
  ASSERT_TRUE(old_running.ok());
  EXPECT_THAT(IdsOf(*old_running), ElementsAre("s-old"));
}

TEST_F(SagaListingTest, StuckListsOrdersThatNeverGotASagaOnceOldEnough) {
  AddOrder("order-orphan", "PENDING", At(0));
  AddOrder("order-processing", "PROCESSING", At(10));
  AddOrder("order-fresh", "PENDING", At(86'399'000));
  AddOrder("order-done", "COMPLETED", At(0));
  AddOrder("order-trip-only", "PENDING", At(20));
  AddSaga({.saga_id = "s-trip", .correlation_id = "order-trip-only", .definition = "trip"});
  auto stuck = read_model().Stuck(Millis(60'000), kNow);
  ASSERT_TRUE(stuck.ok()) << stuck.status().ToString();
  std::vector<std::string> orders;
  for (const auto& order : stuck->orders_without_saga) orders.push_back(order.order_id + " " + order.status);
  EXPECT_THAT(orders, ElementsAre("order-orphan PENDING", "order-processing PROCESSING", "order-trip-only PENDING"));
  EXPECT_EQ(stuck->orders_without_saga[0].created_at, At(0));
}

TEST_F(SagaListingTest, AMissingDatabaseIsAFailedPreconditionNamingIt) {
  databases_.Remove("orchestrator.db");
  auto listed = read_model().ListSagas({}, {}, kNow);
  ASSERT_FALSE(listed.ok());
  EXPECT_TRUE(listed.status().IsFailedPrecondition()) << listed.status().ToString();
  EXPECT_THAT(listed.status().message(), ::testing::HasSubstr("orchestrator.db"));
}

}  // namespace
}  // namespace sagaflow::readmodel

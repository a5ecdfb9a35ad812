// Retention: each table's rows older than its window go, a batch per table per pass, and a failing table
// does not stop the others. The outbox's rule against a real database: a published row past the day goes,
// a younger one and an unpublished one of any age stay.
#include "storage/retention.h"

#include <gtest/gtest.h>

#include "storage/outbox.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::storage {
namespace {

TEST(Retention, DeletesWhatIsOlderThanEachTablesWindow) {
  ManualClock clock;
  std::vector<std::pair<std::string, TimePoint>> cutoffs;
  Retention retention(clock, 100);
  for (const auto& [table, hours] : {std::pair{"inbox", 24}, std::pair{"dead_letters", 168}}) {
    retention.Add({.table = table,
                   .keep_for = std::chrono::hours(hours),
                   .prune = [&, t = std::string(table)](TimePoint cutoff, int limit) {
                     EXPECT_EQ(limit, 100);
                     cutoffs.emplace_back(t, cutoff);
                     return Result<int64_t>(int64_t{3});
                   }});
  }
  auto next = retention.RunOnce();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->delay().has_value()) << "nothing left over: the next pass at the task's interval";
  ASSERT_EQ(cutoffs.size(), 2U);
  EXPECT_EQ(cutoffs[0], std::make_pair(std::string("inbox"), clock.Now() - std::chrono::hours(24)));
  EXPECT_EQ(cutoffs[1], std::make_pair(std::string("dead_letters"), clock.Now() - std::chrono::hours(168)));
}

TEST(Retention, AFullBatchAsksForAnotherPassAtOnce) {
  ManualClock clock;
  Retention retention(clock, 10);
  retention.Add({.table = "a", .keep_for = Millis(1), .prune = [](TimePoint, int) { return Result<int64_t>(10); }});
  retention.Add({.table = "b", .keep_for = Millis(1), .prune = [](TimePoint, int) { return Result<int64_t>(0); }});
  auto next = retention.RunOnce();
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->delay(), Millis(0));
}

TEST(Retention, AFailingTableDoesNotStopTheOthersAndIsReportedByName) {
  ManualClock clock;
  Retention retention(clock, 10);
  int later_table_ran = 0;
  retention.Add({.table = "outbox", .keep_for = Millis(1), .prune = [](TimePoint, int) {
                   return Result<int64_t>(Status::IoError("disk I/O error"));
                 }});
  retention.Add({.table = "inbox", .keep_for = Millis(1), .prune = [&](TimePoint, int) {
                   ++later_table_ran;
                   return Result<int64_t>(1);
                 }});
  auto next = retention.RunOnce();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().message(), "outbox: disk I/O error");
  EXPECT_EQ(later_table_ran, 1);
}

TEST(Retention, TheOutboxKeepsPublishedRowsADayAndUnpublishedOnesForEver) {
  scratch::TempDir dir;
  ManualClock clock;
  WakeSignal new_rows;
  auto db = scratch::OpenMigrated(dir / "order.db", "order", clock.Now());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  Outbox outbox(**db, clock, new_rows);
  const auto append = [&] {
    int64_t id = 0;
    EXPECT_TRUE((*db)
                    ->Write([&](UnitOfWork& uow) {
                      id = outbox.Append(uow, "t", "{}");
                      return Status::Ok();
                    })
                    .ok());
    return id;
  };
  const int64_t old_published = append();
  const int64_t old_unpublished = append();
  ASSERT_TRUE(outbox.MarkPublished({old_published}).ok());
  clock.Advance(std::chrono::hours(20));
  const int64_t young_published = append();
  ASSERT_TRUE(outbox.MarkPublished({young_published}).ok());
  clock.Advance(std::chrono::hours(5));  // the first row was published 25 h ago, the third 5 h ago

  Retention retention(clock);
  retention.Add(outbox.PublishedRetention());
  ASSERT_TRUE(retention.RunOnce().ok());

  const auto exists = [&](int64_t id) {
    bool found = false;
    EXPECT_TRUE((*db)
                    ->Read([&](Sql& sql) {
                      found = Outbox::Times(sql, id).has_value();
                      return Status::Ok();
                    })
                    .ok());
    return found;
  };
  EXPECT_FALSE(exists(old_published));
  EXPECT_TRUE(exists(old_unpublished));
  EXPECT_TRUE(exists(young_published));
}

}  // namespace
}  // namespace sagaflow::storage

#include "storage/inbox.h"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "migrations/service_schema.h"
#include "storage/migrator.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::storage {
namespace {

class InboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    auto db = Database::Open({(dir_ / "order.db").string()});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(migrations::MigrateService(*db_, "order", clock_.Now()).ok());
  }
  void TearDown() override { db_.reset(); }

  // Claims in its own committed transaction.
  ClaimResult Claim(const std::string& message_id) {
    ClaimResult result = ClaimResult::kDuplicate;
    Status status = db_->Write([&](UnitOfWork& uow) {
      result = ClaimInbox(uow, message_id, clock_.Now());
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return result;
  }

  int64_t InboxRows() {
    int64_t count = -1;
    EXPECT_TRUE(db_->Read([&](Sql& q) {
                     auto& select = q.Prepare("SELECT COUNT(*) FROM inbox");
                     if (select.executeStep()) count = select.getColumn(0).getInt64();
                     return Status::Ok();
                   })
                    .ok());
    return count;
  }

  scratch::TempDir dir_{"sagaflow-inbox-test"};
  ManualClock clock_;
  std::unique_ptr<Database> db_;
};

TEST_F(InboxTest, FirstClaimIsNewAndTheNextIsDuplicate) {
  EXPECT_EQ(Claim("m-1"), ClaimResult::kNew);
  EXPECT_EQ(Claim("m-1"), ClaimResult::kDuplicate);
  EXPECT_EQ(Claim("m-2"), ClaimResult::kNew);
  EXPECT_EQ(InboxRows(), 2);
}

TEST_F(InboxTest, SecondClaimInTheSameTransactionIsDuplicate) {
  ClaimResult first = ClaimResult::kDuplicate;
  ClaimResult second = ClaimResult::kNew;
  ASSERT_TRUE(db_->Write([&](UnitOfWork& uow) {
                   first = ClaimInbox(uow, "m-1", clock_.Now());
                   second = ClaimInbox(uow, "m-1", clock_.Now());
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ(first, ClaimResult::kNew);
  EXPECT_EQ(second, ClaimResult::kDuplicate);
}

TEST_F(InboxTest, ClaimRolledBackWithItsTransactionCanBeClaimedAgain) {
  ClaimResult inside = ClaimResult::kDuplicate;
  Status status = db_->Write([&](UnitOfWork& uow) {
    inside = ClaimInbox(uow, "m-1", clock_.Now());
    return Status::IoError("the handler's write failed");
  });
  EXPECT_TRUE(status.IsIoError());
  EXPECT_EQ(inside, ClaimResult::kNew);
  EXPECT_EQ(InboxRows(), 0);
  EXPECT_EQ(Claim("m-1"), ClaimResult::kNew);
}

TEST_F(InboxTest, RecordsWhenTheMessageArrived) {
  ASSERT_EQ(Claim("m-1"), ClaimResult::kNew);
  int64_t received_at = 0;
  ASSERT_TRUE(db_->Read([&](Sql& q) {
                   auto& select = q.Prepare("SELECT received_at FROM inbox WHERE message_id = 'm-1'");
                   if (select.executeStep()) received_at = select.getColumn(0).getInt64();
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ(received_at, ToEpochMillis(clock_.Now()));
}

TEST_F(InboxTest, PruneDeletesClaimsOlderThanTheCutoff) {
  const TimePoint t0 = clock_.Now();
  ASSERT_EQ(Claim("old-1"), ClaimResult::kNew);
  ASSERT_EQ(Claim("old-2"), ClaimResult::kNew);
  clock_.Advance(std::chrono::hours(2));
  ASSERT_EQ(Claim("recent"), ClaimResult::kNew);

  auto pruned = PruneInbox(*db_, t0 + std::chrono::hours(1), 100);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(*pruned, 2);
  EXPECT_EQ(InboxRows(), 1);
  EXPECT_EQ(Claim("recent"), ClaimResult::kDuplicate);
  // Past the retention window a redelivery is new again (domain idempotency keys catch it).
  EXPECT_EQ(Claim("old-1"), ClaimResult::kNew);
}

TEST_F(InboxTest, PruneRespectsTheLimitAndTheCutoffIsExclusive) {
  for (const char* id : {"a", "b", "c"}) ASSERT_EQ(Claim(id), ClaimResult::kNew);
  auto at_cutoff = PruneInbox(*db_, clock_.Now(), 100);
  ASSERT_TRUE(at_cutoff.ok());
  EXPECT_EQ(*at_cutoff, 0);
  const TimePoint later = clock_.Now() + Millis(1);
  auto first = PruneInbox(*db_, later, 2);
  auto second = PruneInbox(*db_, later, 2);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, 2);
  EXPECT_EQ(*second, 1);
  EXPECT_EQ(InboxRows(), 0);
}

}  // namespace
}  // namespace sagaflow::storage

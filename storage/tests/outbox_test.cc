#include "storage/outbox.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "migrations/service_schema.h"
#include "storage/migrator.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::storage {
namespace {

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    db_ = OpenDb();
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(migrations::MigrateService(*db_, "order", clock_.Now()).ok());
    outbox_ = std::make_unique<Outbox>(*db_, clock_, new_rows_);
  }
  void TearDown() override {
    outbox_.reset();
    db_.reset();
  }

  std::unique_ptr<Database> OpenDb() {
    auto db = Database::Open({(dir_ / "order.db").string()});
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(db).value() : nullptr;
  }

  // Appends one row per topic in one committed transaction.
  void AppendCommitted(const std::vector<std::string>& topics) {
    ASSERT_TRUE(db_->Write([&](UnitOfWork& uow) {
                     for (const auto& topic : topics) outbox_->Append(uow, topic, "{\"t\":\"" + topic + "\"}");
                     return Status::Ok();
                   })
                    .ok());
  }

  std::vector<OutboxRow> Unpublished(int limit = 1000) {
    auto rows = outbox_->LoadUnpublished(limit);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<OutboxRow>{};
  }

  int64_t CountUnpublished() {
    auto count = outbox_->CountUnpublished();
    EXPECT_TRUE(count.ok()) << count.status().ToString();
    return count.ok() ? *count : -1;
  }

  std::string Column(int64_t id, const std::string& column) {
    std::string value = "<missing>";
    Status status = db_->Read([&](Sql& q) {
      auto& select = q.Prepare("SELECT " + column + " FROM outbox WHERE id = ?");
      select.bind(1, id);
      if (select.executeStep()) value = select.getColumn(0).isNull() ? "NULL" : select.getColumn(0).getString();
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok());
    return value;
  }

  scratch::TempDir dir_{"sagaflow-outbox-test"};
  ManualClock clock_;
  WakeSignal new_rows_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_F(OutboxTest, AppendIsVisibleOnlyAfterCommitAndThenWakes) {
  auto reader_db = OpenDb();
  ASSERT_NE(reader_db, nullptr);
  WakeSignal unused;
  Outbox reader(*reader_db, clock_, unused);
  Status status = db_->Write([&](UnitOfWork& uow) {
    outbox_->Append(uow, "orders/created", R"({"orderId":"o-1"})");
    // Another connection does not see the uncommitted row, and nobody has been woken yet.
    auto seen = reader.LoadUnpublished(10);
    EXPECT_TRUE(seen.ok());
    EXPECT_TRUE(seen.ok() && seen->empty());
    EXPECT_FALSE(new_rows_.WaitFor(Millis(0)));
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(new_rows_.WaitFor(Millis(0)));
  auto seen = reader.LoadUnpublished(10);
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->size(), 1U);
  EXPECT_EQ((*seen)[0].topic, "orders/created");
  EXPECT_EQ((*seen)[0].payload, R"({"orderId":"o-1"})");
  EXPECT_EQ(Column((*seen)[0].id, "created_at"), FormatIso8601(clock_.Now()));
  EXPECT_EQ(Column((*seen)[0].id, "published_at"), "NULL");
}

TEST_F(OutboxTest, RollbackLeavesNothingAndDoesNotWake) {
  Status status = db_->Write([&](UnitOfWork& uow) {
    outbox_->Append(uow, "orders/created", "{}");
    return Status::Conflict("state changed underneath");
  });
  EXPECT_TRUE(status.IsConflict());
  Status thrown = db_->Write([&](UnitOfWork& uow) -> Status {
    outbox_->Append(uow, "orders/created", "{}");
    throw std::runtime_error("boom");
  });
  EXPECT_TRUE(thrown.IsIoError());
  EXPECT_FALSE(new_rows_.WaitFor(Millis(0)));
  EXPECT_EQ(CountUnpublished(), 0);
  EXPECT_TRUE(Unpublished().empty());
}

TEST_F(OutboxTest, LoadUnpublishedReturnsTheOldestRowsInIdOrderUpToTheLimit) {
  AppendCommitted({"t/1", "t/2", "t/3"});
  AppendCommitted({"t/4", "t/5"});
  const auto first = Unpublished(3);
  ASSERT_EQ(first.size(), 3U);
  EXPECT_EQ(first[0].topic, "t/1");
  EXPECT_EQ(first[1].topic, "t/2");
  EXPECT_EQ(first[2].topic, "t/3");
  EXPECT_EQ(first[0].payload, R"({"t":"t/1"})");
  EXPECT_LT(first[0].id, first[1].id);
  EXPECT_LT(first[1].id, first[2].id);
  const auto all = Unpublished();
  ASSERT_EQ(all.size(), 5U);
  for (size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].id, all[i].id);
  EXPECT_EQ(all[4].topic, "t/5");
  EXPECT_TRUE(Unpublished(0).empty());
}

TEST_F(OutboxTest, MarkPublishedHidesRowsAndStampsThemOnce) {
  AppendCommitted({"t/1", "t/2", "t/3", "t/4"});
  const auto rows = Unpublished();
  ASSERT_EQ(rows.size(), 4U);
  ASSERT_TRUE(outbox_->MarkPublished({rows[0].id, rows[1].id}).ok());
  const std::string first_stamp = FormatIso8601(clock_.Now());
  EXPECT_EQ(CountUnpublished(), 2);
  const auto rest = Unpublished();
  ASSERT_EQ(rest.size(), 2U);
  EXPECT_EQ(rest[0].id, rows[2].id);
  EXPECT_EQ(rest[1].id, rows[3].id);
  EXPECT_EQ(Column(rows[0].id, "published_at"), first_stamp);

  // Marking again (a retry after a lost reply) keeps the first stamp.
  clock_.Advance(std::chrono::minutes(5));
  ASSERT_TRUE(outbox_->MarkPublished({rows[0].id, rows[2].id}).ok());
  EXPECT_EQ(Column(rows[0].id, "published_at"), first_stamp);
  EXPECT_EQ(Column(rows[2].id, "published_at"), FormatIso8601(clock_.Now()));
  EXPECT_EQ(CountUnpublished(), 1);
  EXPECT_TRUE(outbox_->MarkPublished({}).ok());
  EXPECT_EQ(CountUnpublished(), 1);
}

TEST_F(OutboxTest, CountUnpublishedFollowsAppendsAndMarks) {
  EXPECT_EQ(CountUnpublished(), 0);
  AppendCommitted({"a", "b", "c"});
  EXPECT_EQ(CountUnpublished(), 3);
  ASSERT_TRUE(outbox_->MarkPublished({Unpublished()[0].id}).ok());
  EXPECT_EQ(CountUnpublished(), 2);
}

TEST_F(OutboxTest, PrunePublishedDeletesOnlyOldPublishedRows) {
  AppendCommitted({"old", "new", "pending"});
  const auto rows = Unpublished();
  ASSERT_EQ(rows.size(), 3U);
  const TimePoint t0 = clock_.Now();
  ASSERT_TRUE(outbox_->MarkPublished({rows[0].id}).ok());
  clock_.Advance(std::chrono::hours(2));
  ASSERT_TRUE(outbox_->MarkPublished({rows[1].id}).ok());

  auto pruned = outbox_->PrunePublished(t0 + std::chrono::hours(1), 100);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(*pruned, 1);
  EXPECT_EQ(Column(rows[0].id, "id"), "<missing>");
  EXPECT_EQ(Column(rows[1].id, "topic"), "new");
  // An unpublished row is never pruned, however old.
  pruned = outbox_->PrunePublished(t0 + std::chrono::hours(1000), 100);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, 1);
  EXPECT_EQ(CountUnpublished(), 1);
  EXPECT_EQ(Unpublished()[0].topic, "pending");
}

TEST_F(OutboxTest, PrunePublishedRespectsTheLimit) {
  AppendCommitted({"1", "2", "3", "4", "5"});
  std::vector<int64_t> ids;
  for (const auto& row : Unpublished()) ids.push_back(row.id);
  ASSERT_TRUE(outbox_->MarkPublished(ids).ok());
  const TimePoint later = clock_.Now() + std::chrono::hours(1);
  std::vector<int64_t> batches;
  for (int i = 0; i < 4; ++i) {
    auto pruned = outbox_->PrunePublished(later, 2);
    ASSERT_TRUE(pruned.ok());
    batches.push_back(*pruned);
  }
  EXPECT_EQ(batches, (std::vector<int64_t>{2, 2, 1, 0}));
}

TEST_F(OutboxTest, PayloadRoundTripsByteForByte) {
  const std::string payload = "{\"note\":\"caf\xC3\xA9 \\\"quoted\\\" \\u0001 \xF0\x9F\x98\x80\"}";
  ASSERT_TRUE(db_->Write([&](UnitOfWork& uow) {
                   outbox_->Append(uow, "deadletter/orders/created", payload);
                   return Status::Ok();
                 })
                  .ok());
  const auto rows = Unpublished();
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].payload, payload);
  EXPECT_EQ(rows[0].topic, "deadletter/orders/created");
}

}  // namespace
}  // namespace sagaflow::storage

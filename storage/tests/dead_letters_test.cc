#include "storage/dead_letters.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::storage {
namespace {

TEST(DeadLetterCopyTest, ASmallPayloadIsKeptWhole) {
  EXPECT_EQ(DeadLetterCopy("{\"a\":1}"), "{\"a\":1}");
  EXPECT_EQ(DeadLetterCopy(std::string(kMaxDeadLetterCopyBytes, 'x')), std::string(kMaxDeadLetterCopyBytes, 'x'));
}

TEST(DeadLetterCopyTest, ALargePayloadIsCutAtACharacterBoundaryAndSaysItsSize) {
  // Three-byte characters placed so that the limit falls inside one.
  std::string payload = "x";
  while (payload.size() < kMaxDeadLetterCopyBytes * 2) payload += "\xE6\x9D\xB1";
  const std::string copy = DeadLetterCopy(payload);
  const std::string note = "... [truncated: " + std::to_string(payload.size()) + " bytes]";
  ASSERT_GT(copy.size(), note.size());
  EXPECT_EQ(copy.substr(copy.size() - note.size()), note);
  const std::string kept = copy.substr(0, copy.size() - note.size());
  EXPECT_LE(kept.size(), kMaxDeadLetterCopyBytes);
  EXPECT_EQ((kept.size() - 1) % 3, 0U) << "no character is cut in half";
  EXPECT_EQ(payload.substr(0, kept.size()), kept);
}

class PruneDeadLettersTest : public ::testing::Test {
 protected:
  void Add(TimePoint at) {
    ASSERT_TRUE(db_->Write([&](UnitOfWork& uow) {
                     RecordDeadLetter(uow, "payments/process", "{}", "bad", FormatIso8601(at));
                     return Status::Ok();
                   })
                    .ok());
  }
  int64_t Remaining() {
    int64_t count = -1;
    EXPECT_TRUE(db_->Read([&](Sql& sql) {
                     auto& select = sql.Prepare("SELECT COUNT(*) FROM dead_letters");
                     if (select.executeStep()) count = select.getColumn(0).getInt64();
                     return Status::Ok();
                   })
                    .ok());
    return count;
  }

  void SetUp() override {
    auto db = scratch::OpenMigrated(dir_ / "payments.db", "payment", FromEpochMillis(0));
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
  }

  scratch::TempDir dir_{"sagaflow-dead-letters-test"};
  std::unique_ptr<Database> db_;
};

TEST_F(PruneDeadLettersTest, DeletesOnlyWhatIsOlderThanTheCutoffInBoundedBatches) {
  const TimePoint start = FromEpochMillis(1'700'000'000'000);
  for (int i = 0; i < 5; ++i) Add(start + std::chrono::hours(i));
  // Older than start + 2.5 h: the first three.
  auto pruned = PruneDeadLetters(*db_, start + std::chrono::minutes(150), 2);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(*pruned, 2) << "at most the batch";
  pruned = PruneDeadLetters(*db_, start + std::chrono::minutes(150), 2);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, 1);
  pruned = PruneDeadLetters(*db_, start + std::chrono::minutes(150), 2);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, 0);
  EXPECT_EQ(Remaining(), 2);
}

}  // namespace
}  // namespace sagaflow::storage

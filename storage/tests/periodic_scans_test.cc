// Cost must not grow with history: the periodic queries every service runs on its outbox and inbox
// (the relay's load of unpublished rows and its prune of published ones, the backlog gauge, the inbox pruner) must
// reach their rows through an index, not walk the history. Each service's own schema is checked, since each has its
// own migrations: a history of published outbox rows and recent inbox claims, a few live rows, then the production
// functions, then Database::FullScanSteps.
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "common/wake_signal.h"
#include "storage/inbox.h"
#include "storage/outbox.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::storage {
namespace {

constexpr int kHistory = 3'000;  // published outbox rows and inbox claims still inside the retention window
constexpr int kExpired = 7;      // rows past the retention window: what the prunes must find
constexpr int kLive = 5;         // outbox rows not yet published
constexpr auto kRetention = std::chrono::hours(24);

using Scans = std::vector<std::pair<std::string, int>>;

// The statements that stepped through more than `live_rows` entries of a table or of a whole index. SQLite counts a
// walk of a partial index as a full scan too, and outbox_unpublished holds only the rows not yet published, so a walk
// as long as the live rows is what the index is for; one as long as the history is what these tests forbid.
Scans ScansBeyond(Database& db, int live_rows) {
  Scans scans;
  for (auto& scan : db.FullScanSteps()) {
    if (scan.second > live_rows) scans.push_back(std::move(scan));
  }
  return scans;
}

bool AnyScanContains(const Scans& scans, const std::string& sql_part) {
  for (const auto& scan : scans) {
    if (scan.first.find(sql_part) != std::string::npos) return true;
  }
  return false;
}

class PeriodicScansTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }
  void TearDown() override {
    outbox_.reset();
    db_.reset();
  }

  // Migrates a fresh database under `name`, writes the history and the live rows, optionally drops `index` (to prove
  // the check would catch its absence), and reopens it as a restarted process would: a connection with no statements.
  void Build(const std::string& name, const std::string& index = "") {
    outbox_.reset();
    db_.reset();
    const std::string path = (dir_ / (name + ".db")).string();
    Status created = scratch::CreateMigrated(path, GetParam(), clock_.Now(), [&](UnitOfWork& uow) {
      WriteHistory(uow);
      if (!index.empty()) uow.Exec("DROP INDEX " + index);
    });
    ASSERT_TRUE(created.ok()) << created.ToString();
    auto db = Database::Open({path, Durability::kNormal});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    outbox_ = std::make_unique<Outbox>(*db_, clock_, new_rows_);
  }

  // Oldest first, as they accumulate: expired published rows, published rows inside the window, then the live ones.
  void WriteHistory(UnitOfWork& uow) {
    const TimePoint now = clock_.Now();
    auto& outbox = uow.Prepare("INSERT INTO outbox(topic, payload, created_at, published_at) VALUES (?, ?, ?, ?)");
    auto& inbox = uow.Prepare("INSERT INTO inbox(message_id, received_at) VALUES (?, ?)");
    for (int i = 0; i < kExpired + kHistory + kLive; ++i) {
      const bool expired = i < kExpired;
      const bool live = i >= kExpired + kHistory;
      // Expired rows 25 h old; the rest spread over the last 23 h, newest last.
      const TimePoint at =
          expired ? now - std::chrono::hours(25) + Millis(i)
                  : now - std::chrono::hours(23) + Millis(i - kExpired) * (23 * 3'600'000 / (kHistory + kLive));
      outbox.reset();
      outbox.bind(1, i % 2 == 0 ? "orders/progress" : "orders/created");
      outbox.bind(2, R"({"messageId":"m-)" + std::to_string(i) + R"(","orderId":"o-)" + std::to_string(i) +
                         R"(","event":"saga_started","status":"PROCESSING","at":")" + FormatIso8601(at) + "\"}");
      outbox.bind(3, FormatIso8601(at));
      if (live) {
        outbox.bind(4);
      } else {
        outbox.bind(4, FormatIso8601(at + Millis(5)));
      }
      outbox.exec();
      if (live) continue;
      inbox.reset();
      inbox.bind(1, "5f0c6a1e-0000-4000-8000-" + std::to_string(100'000'000'000 + i));
      inbox.bind(2, ToEpochMillis(at));
      inbox.exec();
    }
  }

  // One pass of what runs on a timer against this database: the relay's step (load, publish, mark), its prune, the
  // backlog gauge of every /metrics scrape, and Runtime's inbox pruner. Checks what each returned.
  void RunPeriodicWork() {
    auto backlog = outbox_->CountUnpublished();
    ASSERT_TRUE(backlog.ok()) << backlog.status().ToString();
    EXPECT_EQ(*backlog, kLive);
    auto rows = outbox_->LoadUnpublished(500);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    ASSERT_EQ(rows->size(), static_cast<size_t>(kLive));
    std::vector<int64_t> ids;
    for (const auto& row : *rows) ids.push_back(row.id);
    EXPECT_EQ(ids.front(), kExpired + kHistory + 1) << "the oldest unpublished row first";
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
    ASSERT_TRUE(outbox_->MarkPublished(ids).ok());
    auto after = outbox_->LoadUnpublished(500);
    ASSERT_TRUE(after.ok()) << after.status().ToString();
    EXPECT_TRUE(after->empty());

    auto pruned = outbox_->PrunePublished(clock_.Now() - kRetention, 10'000);
    ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
    EXPECT_EQ(*pruned, kExpired);
    auto claims = PruneInbox(*db_, clock_.Now() - kRetention, 10'000);
    ASSERT_TRUE(claims.ok()) << claims.status().ToString();
    EXPECT_EQ(*claims, kExpired);
  }

  scratch::TempDir dir_{"sagaflow-periodic-scans"};
  ManualClock clock_;
  WakeSignal new_rows_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_P(PeriodicScansTest, RelayAndPrunersDoNotWalkTheHistory) {
  Build("indexed");
  RunPeriodicWork();
  const Scans scans = ScansBeyond(*db_, kLive);
  EXPECT_TRUE(scans.empty()) << "periodic statements that walk the history:" << scratch::DescribeScans(scans);
}

// The check itself: without each index, the query it serves is reported.
TEST_P(PeriodicScansTest, WithoutTheirIndexesTheScansAreCaught) {
  const std::pair<const char*, const char*> cases[] = {
      {"outbox_unpublished", "FROM outbox WHERE published_at IS NULL ORDER BY id"},
      {"outbox_published", "DELETE FROM outbox"},
      {"inbox_received", "DELETE FROM inbox"},
  };
  for (const auto& [index, sql] : cases) {
    Build(std::string("without_") + index, index);
    RunPeriodicWork();
    const Scans scans = ScansBeyond(*db_, kLive);
    EXPECT_TRUE(AnyScanContains(scans, sql))
        << "without " << index << ", no scan of '" << sql << "' was reported;" << scratch::DescribeScans(scans);
  }
}

INSTANTIATE_TEST_SUITE_P(EveryService, PeriodicScansTest,
                         ::testing::Values("order", "orchestrator", "payment", "inventory", "notification"),
                         [](const ::testing::TestParamInfo<const char*>& param) { return std::string(param.param); });

}  // namespace
}  // namespace sagaflow::storage

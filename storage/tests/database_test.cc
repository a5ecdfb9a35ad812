#include "storage/database.h"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "common/testing/eventually.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::storage {
namespace {

using sagaflow::testing::Eventually;

// A fresh directory per test, removed afterwards, so tests never share a database file.
class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }

  std::string PathOf(const std::string& name) const { return (dir_ / name).string(); }

  std::unique_ptr<Database> Open(DatabaseOptions options = {}) {
    if (options.path.empty()) options.path = PathOf("test.db");
    auto db = Database::Open(options);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(db).value() : nullptr;
  }

  std::unique_ptr<Database> OpenWithTable() {
    auto db = Open();
    if (db == nullptr) return nullptr;
    EXPECT_TRUE(db->Write([](UnitOfWork& uow) {
                    uow.Exec("CREATE TABLE t (x INTEGER NOT NULL)");
                    return Status::Ok();
                  }).ok());
    return db;
  }

  static std::string QueryText(Database& db, const std::string& sql) {
    std::string value;
    Status status = db.Read([&](Sql& q) {
      auto& select = q.Prepare(sql);
      if (select.executeStep()) value = select.getColumn(0).getString();
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return value;
  }

  static int64_t QueryInt(Database& db, const std::string& sql) {
    int64_t value = -1;
    Status status = db.Read([&](Sql& q) {
      auto& select = q.Prepare(sql);
      if (select.executeStep()) value = select.getColumn(0).getInt64();
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return value;
  }

  static Status Insert(UnitOfWork& uow, int64_t x) {
    auto& insert = uow.Prepare("INSERT INTO t(x) VALUES (?)");
    insert.bind(1, x);
    insert.exec();
    return Status::Ok();
  }

  scratch::TempDir dir_{"sagaflow-database-test"};
};

TEST_F(DatabaseTest, OpensInWalModeWithForeignKeysAndCommitsThatDoNotFsync) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(QueryText(*db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(QueryInt(*db, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(QueryInt(*db, "PRAGMA synchronous"), 1);  // NORMAL: the syncer fsyncs, not the commit
  EXPECT_EQ(db->path(), PathOf("test.db"));
  EXPECT_TRUE(std::filesystem::exists(PathOf("test.db")));
}

TEST_F(DatabaseTest, ForeignKeysAreEnforced) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Write([](UnitOfWork& uow) {
                  uow.Exec("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
                  uow.Exec("CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent(id))");
                  return Status::Ok();
                }).ok());
  Status status = db->Write([](UnitOfWork& uow) {
    uow.Exec("INSERT INTO child(parent_id) VALUES (42)");
    return Status::Ok();
  });
  EXPECT_TRUE(status.IsIoError()) << status.ToString();
  EXPECT_NE(status.message().find("FOREIGN KEY"), std::string::npos) << status.message();
}

TEST_F(DatabaseTest, OpenReportsAnUnusablePathAsIoError) {
  auto db = Database::Open({PathOf("missing-dir/test.db")});
  ASSERT_FALSE(db.ok());
  EXPECT_TRUE(db.status().IsIoError());
  EXPECT_NE(db.status().message().find("missing-dir/test.db"), std::string::npos) << db.status().message();
}

TEST_F(DatabaseTest, ReadOnlyDoesNotCreateTheFile) {
  DatabaseOptions options{PathOf("absent.db")};
  options.read_only = true;
  auto db = Database::Open(options);
  EXPECT_FALSE(db.ok());
  EXPECT_FALSE(std::filesystem::exists(PathOf("absent.db")));
}

TEST_F(DatabaseTest, ReadOnlyRefusesWrites) {
  ASSERT_NE(OpenWithTable(), nullptr);
  DatabaseOptions options{PathOf("test.db")};
  options.read_only = true;
  auto db = Open(options);
  ASSERT_NE(db, nullptr);
  Status status = db->Write([](UnitOfWork& uow) { return Insert(uow, 1); });
  EXPECT_TRUE(status.IsIoError()) << status.ToString();
}

TEST_F(DatabaseTest, WriteCommitsForOtherConnectionsToSee) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Write([](UnitOfWork& uow) {
                  Insert(uow, 1);
                  return Insert(uow, 2);
                }).ok());
  auto other = Open();
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(QueryInt(*other, "SELECT COUNT(*) FROM t"), 2);
  EXPECT_EQ(QueryInt(*other, "SELECT SUM(x) FROM t"), 3);
}

TEST_F(DatabaseTest, WriteRollsBackAndReturnsANonOkStatus) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  Status status = db->Write([](UnitOfWork& uow) {
    Insert(uow, 1);
    return Status::Conflict("changed my mind");
  });
  EXPECT_TRUE(status.IsConflict());
  EXPECT_EQ(status.message(), "changed my mind");
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 0);
}

TEST_F(DatabaseTest, WriteRollsBackOnExceptionAndReturnsIoError) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  Status status = db->Write([](UnitOfWork& uow) -> Status {
    Insert(uow, 1);
    throw std::runtime_error("boom");
  });
  EXPECT_TRUE(status.IsIoError()) << status.ToString();
  EXPECT_NE(status.message().find("boom"), std::string::npos);
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 0);
  // The connection is usable afterwards: no transaction was left open.
  EXPECT_TRUE(db->Write([](UnitOfWork& uow) { return Insert(uow, 2); }).ok());
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 1);
}

TEST_F(DatabaseTest, WriteTurnsAnSqlErrorIntoIoErrorAndRollsBack) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  Status status = db->Write([](UnitOfWork& uow) {
    Insert(uow, 1);
    uow.Prepare("INSERT INTO no_such_table VALUES (1)").exec();
    return Status::Ok();
  });
  EXPECT_TRUE(status.IsIoError()) << status.ToString();
  EXPECT_NE(status.message().find("no_such_table"), std::string::npos) << status.message();
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 0);
}

TEST_F(DatabaseTest, AfterCommitRunsOnlyOnceTheCommitIsVisible) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  auto other = Open();
  ASSERT_NE(other, nullptr);
  int runs = 0;
  int64_t seen_by_other_connection = -1;
  Status status = db->Write([&](UnitOfWork& uow) {
    Insert(uow, 1);
    uow.AfterCommit([&] {
      ++runs;
      seen_by_other_connection = QueryInt(*other, "SELECT COUNT(*) FROM t");
    });
    EXPECT_EQ(runs, 0);
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(seen_by_other_connection, 1);
}

TEST_F(DatabaseTest, AfterCommitDoesNotRunOnRollback) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  int runs = 0;
  EXPECT_FALSE(db->Write([&](UnitOfWork& uow) {
                   uow.AfterCommit([&] { ++runs; });
                   return Status::InvalidArgument("no");
                 }).ok());
  EXPECT_FALSE(db->Write([&](UnitOfWork& uow) -> Status {
                   uow.AfterCommit([&] { ++runs; });
                   throw std::runtime_error("boom");
                 }).ok());
  EXPECT_EQ(runs, 0);
  // And actions of a rolled-back unit of work do not leak into the next one.
  ASSERT_TRUE(db->Write([](UnitOfWork&) { return Status::Ok(); }).ok());
  EXPECT_EQ(runs, 0);
}

TEST_F(DatabaseTest, FullScanStepsNamesTheStatementsThatScannedATable) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Write([](UnitOfWork& uow) {
                  uow.Exec("CREATE INDEX t_x ON t(x)");
                  for (int64_t x = 1; x <= 100; ++x) Insert(uow, x);
                  return Status::Ok();
                }).ok());
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t WHERE x = 7"), 1);      // the index
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t WHERE x + 0 = 7"), 1);  // no index can serve it
  const auto scans = db->FullScanSteps();
  ASSERT_EQ(scans.size(), 1u);
  EXPECT_EQ(scans[0].first, "SELECT COUNT(*) FROM t WHERE x + 0 = 7");
  EXPECT_GE(scans[0].second, 99);
}

TEST_F(DatabaseTest, CommitStatsCountThePagesEachCommitWrote) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  const int64_t before = db->commit_stats().pages_written;
  ASSERT_TRUE(db->Write([](UnitOfWork& uow) {
                  Insert(uow, 1);
                  return Status::Ok();
                }).ok());
  const int64_t one_row = db->commit_stats().pages_written - before;
  EXPECT_GE(one_row, 1);
  // A row too large for one page spills into overflow pages, each written by the commit.
  ASSERT_TRUE(db->Write([](UnitOfWork& uow) {
                  uow.Exec("CREATE TABLE blobs (payload TEXT NOT NULL)");
                  auto& insert = uow.Prepare("INSERT INTO blobs(payload) VALUES (?)");
                  insert.bind(1, std::string(64 * 1024, 'p'));
                  insert.exec();
                  return Status::Ok();
                }).ok());
  EXPECT_GE(db->commit_stats().pages_written - before - one_row, 16);
  // Reads write nothing.
  const int64_t after_writes = db->commit_stats().pages_written;
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 1);
  EXPECT_EQ(db->commit_stats().pages_written, after_writes);
}

// Holds one write open inside its transaction until Release(), so that writes started meanwhile queue
// up behind it and are committed together as one group.
class BlockingWrite {
 public:
  explicit BlockingWrite(Database& db) : db_(db) {
    thread_ = std::thread([this] {
      status_ = db_.Write([this](UnitOfWork& uow) {
        uow.Exec("INSERT INTO t(x) VALUES (0)");
        std::unique_lock lock(mu_);
        entered_ = true;
        cv_.notify_all();
        cv_.wait(lock, [this] { return released_; });
        return Status::Ok();
      });
    });
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return entered_; });
  }
  ~BlockingWrite() { Release(); }
  BlockingWrite(const BlockingWrite&) = delete;
  BlockingWrite& operator=(const BlockingWrite&) = delete;

  Status Release() {
    {
      std::lock_guard lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    return status_;
  }

 private:
  Database& db_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false;
  bool released_ = false;
  Status status_;
};

// Polls (no sleep as synchronization) until `count` writes are queued, the blocked one included.
bool WaitForQueuedWrites(Database& db, size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (db.queued_writes() < count) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST_F(DatabaseTest, WritesQueuedBehindACommitAreCommittedTogether) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  std::vector<std::thread> writers;
  std::vector<Status> statuses(3);
  std::vector<int> after_commit_runs(3, 0);
  {
    BlockingWrite first(*db);
    for (int i = 0; i < 3; ++i) {
      writers.emplace_back([&, i] {
        statuses[i] = db->Write([&, i](UnitOfWork& uow) {
          Insert(uow, i + 1);
          uow.AfterCommit([&, i] { ++after_commit_runs[i]; });
          return Status::Ok();
        });
      });
    }
    ASSERT_TRUE(WaitForQueuedWrites(*db, 4));
    EXPECT_TRUE(first.Release().ok());
  }
  for (auto& writer : writers) writer.join();
  for (const Status& status : statuses) EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(after_commit_runs, (std::vector<int>{1, 1, 1}));
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 4);
  EXPECT_EQ(db->commit_stats().transactions, 3) << "table + the blocking write + one group of three";
  EXPECT_EQ(db->commit_stats().writes, 5);
  EXPECT_EQ(db->queued_writes(), 0u);
}

TEST_F(DatabaseTest, AFailingWriteInAGroupRollsBackAloneAndTheOthersCommit) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  Status kept;
  Status rejected;
  Status thrown;
  int rejected_after_commit_runs = 0;
  std::vector<std::thread> writers;
  {
    BlockingWrite first(*db);
    writers.emplace_back([&] { kept = db->Write([](UnitOfWork& uow) { return Insert(uow, 1); }); });
    ASSERT_TRUE(WaitForQueuedWrites(*db, 2));
    writers.emplace_back([&] {
      rejected = db->Write([&](UnitOfWork& uow) {
        Insert(uow, 2);
        uow.AfterCommit([&] { ++rejected_after_commit_runs; });
        return Status::InvalidArgument("rejected");
      });
    });
    ASSERT_TRUE(WaitForQueuedWrites(*db, 3));
    writers.emplace_back([&] {
      thrown = db->Write([](UnitOfWork& uow) -> Status {
        Insert(uow, 3);
        throw std::runtime_error("boom");
      });
    });
    ASSERT_TRUE(WaitForQueuedWrites(*db, 4));
  }
  for (auto& writer : writers) writer.join();
  EXPECT_TRUE(kept.ok()) << kept.ToString();
  EXPECT_TRUE(rejected.IsInvalidArgument()) << rejected.ToString();
  EXPECT_TRUE(thrown.IsIoError()) << thrown.ToString();
  EXPECT_EQ(rejected_after_commit_runs, 0);
  EXPECT_EQ(QueryText(*db, "SELECT group_concat(x) FROM (SELECT x FROM t ORDER BY x)"), "0,1");
  EXPECT_EQ(db->commit_stats().transactions, 3);
}

TEST_F(DatabaseTest, ManyThreadsWritingAtOnceLoseNothing) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  constexpr int kThreads = 8;
  constexpr int kWritesEach = 100;
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        if (!db->Write([&](UnitOfWork& uow) { return Insert(uow, t * kWritesEach + i); }).ok()) ++failures;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(DISTINCT x) FROM t"), kThreads * kWritesEach);
  EXPECT_EQ(db->commit_stats().writes, kThreads * kWritesEach + 1);
}

// The safety level a commit runs under, read inside its unit of work: 2 is FULL (an fsync at the commit),
// 1 is NORMAL (none).
int64_t SynchronousInside(UnitOfWork& uow) {
  auto& select = uow.Prepare("PRAGMA synchronous");
  return select.executeStep() ? select.getColumn(0).getInt64() : -1;
}

TEST_F(DatabaseTest, ACommitDoesNotWaitForAnFsync) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  int64_t during = 0;
  ASSERT_TRUE(db->Write([&](UnitOfWork& uow) {
                  during = SynchronousInside(uow);
                  return Insert(uow, 1);
                }).ok());
  EXPECT_EQ(during, 1);
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 1);
  EXPECT_EQ(db->commit_stats().syncs, 0) << "nobody waited for the disk";
}

TEST_F(DatabaseTest, OneFsyncMakesEveryCommitBeforeItDurable) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(db->Write([&](UnitOfWork& uow) { return Insert(uow, i); }).ok());
  EXPECT_EQ(db->commit_stats().syncs, 0);
  ASSERT_TRUE(db->AwaitDurable().ok());
  EXPECT_EQ(db->commit_stats().syncs, 1);
  ASSERT_TRUE(db->AwaitDurable().ok());
  EXPECT_EQ(db->commit_stats().syncs, 1) << "nothing was committed since";
  ASSERT_TRUE(db->Write([&](UnitOfWork& uow) { return Insert(uow, 4); }).ok());
  ASSERT_TRUE(db->AwaitDurable().ok());
  EXPECT_EQ(db->commit_stats().syncs, 2);
}

TEST_F(DatabaseTest, ManyWaitersShareTheirFsyncs) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  constexpr int kThreads = 8;
  constexpr int kWritesEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        const Status written = db->Write([&](UnitOfWork& uow) { return Insert(uow, t * kWritesEach + i); });
        if (!written.ok() || !db->AwaitDurable().ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), kThreads * kWritesEach);
  const auto stats = db->commit_stats();
  EXPECT_GE(stats.syncs, 1);
  EXPECT_LE(stats.syncs, stats.transactions) << "never more than one fsync per commit";
}

TEST_F(DatabaseTest, AnEffectRegisteredAfterDurableRunsOnceItsCommitIsOnDisk) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  std::atomic<int64_t> syncs_when_run{-1};
  ASSERT_TRUE(db->Write([&](UnitOfWork& uow) {
                  uow.AfterDurable([&] { syncs_when_run = db->commit_stats().syncs; });
                  return Insert(uow, 1);
                }).ok());
  // Nobody waits, yet the syncer makes it durable on its own so the effect happens.
  ASSERT_TRUE(Eventually([&] { return syncs_when_run.load() >= 0; }));
  EXPECT_EQ(syncs_when_run.load(), 1);
}

TEST_F(DatabaseTest, AnEffectRegisteredAfterDurableDoesNotRunOnRollback) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  std::atomic<int> runs{0};
  EXPECT_FALSE(db->Write([&](UnitOfWork& uow) {
                   uow.AfterDurable([&] { ++runs; });
                   (void)Insert(uow, 1);
                   return Status::Conflict("rolled back");
                 }).ok());
  ASSERT_TRUE(db->Write([&](UnitOfWork& uow) {
                  uow.AfterDurable([&] { runs += 10; });
                  return Insert(uow, 2);
                }).ok());
  ASSERT_TRUE(Eventually([&] { return runs.load() >= 10; }));
  EXPECT_EQ(runs.load(), 10);
}

TEST_F(DatabaseTest, UnderNormalDurabilityNothingWaitsForTheDisk) {
  auto db = Open({PathOf("normal.db"), Durability::kNormal});
  ASSERT_NE(db, nullptr);
  std::atomic<int> ran{0};
  ASSERT_TRUE(db->Write([&](UnitOfWork& uow) {
                  uow.Exec("CREATE TABLE t (x INTEGER NOT NULL)");
                  uow.AfterDurable([&] { ++ran; });
                  return Status::Ok();
                }).ok());
  EXPECT_TRUE(Eventually([&] { return ran.load() == 1; })) << "without an fsync, on the syncer's thread";
  ASSERT_TRUE(db->AwaitDurable().ok());
  EXPECT_EQ(db->commit_stats().syncs, 0);
  EXPECT_EQ(QueryInt(*db, "PRAGMA synchronous"), 1);
}

TEST_F(DatabaseTest, ReusesAPreparedStatementWithinOneTransaction) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Write([](UnitOfWork& uow) {
                  for (int64_t x = 1; x <= 10; ++x) Insert(uow, x);
                  return Status::Ok();
                }).ok());
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 10);
  EXPECT_EQ(QueryInt(*db, "SELECT SUM(x) FROM t"), 55);
}

TEST_F(DatabaseTest, AHalfReadSelectDoesNotPinAnOldSnapshot) {
  auto db = OpenWithTable();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Write([](UnitOfWork& uow) {
                  Insert(uow, 1);
                  return Insert(uow, 2);
                }).ok());
  // Read one row of two and return: the statement must not keep its read transaction open.
  ASSERT_TRUE(db->Read([](Sql& q) {
                  auto& select = q.Prepare("SELECT x FROM t ORDER BY x");
                  EXPECT_TRUE(select.executeStep());
                  return Status::Ok();
                }).ok());
  auto other = Open();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(other->Write([](UnitOfWork& uow) { return Insert(uow, 3); }).ok());
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 3);
}

TEST_F(DatabaseTest, ReadReportsSqlErrorsAsIoError) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  Status status = db->Read([](Sql& q) {
    q.Prepare("SELECT * FROM nothing_here").executeStep();
    return Status::Ok();
  });
  EXPECT_TRUE(status.IsIoError()) << status.ToString();
  EXPECT_TRUE(db->Read([](Sql&) { return Status::NotFound("x"); }).IsNotFound());
}

TEST(ParseDurability, AcceptsFullAndNormalOnly) {
  EXPECT_EQ(ParseDurability("full").value(), Durability::kFull);
  EXPECT_EQ(ParseDurability("normal").value(), Durability::kNormal);
  EXPECT_TRUE(ParseDurability("FULL").status().IsInvalidArgument());
  EXPECT_TRUE(ParseDurability("off").status().IsInvalidArgument());
}

}  // namespace
}  // namespace sagaflow::storage

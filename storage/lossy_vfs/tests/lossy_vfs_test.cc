// The power cut the lossy VFS simulates, checked the one way that proves it: a forked child writes through the VFS
// and dies by SIGKILL, then this process reads the file through the plain "unix" VFS, which sees only what reached
// the disk. The child installs the VFS itself, after the fork, so this process never has it.
#include "storage/lossy_vfs/lossy_vfs.h"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "storage/database.h"
#include "storage/lossy_vfs/stats_reader.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::storage::lossy_vfs {
namespace {

constexpr int kRows = 100;

// A raw SQLite connection. Errors come back as text: the child can only report them on stderr.
class Connection {
 public:
  Connection() = default;
  ~Connection() { sqlite3_close(db_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  std::string Open(const std::string& path, const char* vfs) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
    return rc == SQLITE_OK ? "" : "open " + path + ": " + sqlite3_errstr(rc);
  }

  std::string Exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK) return "";
    std::string error = sql + ": " + (message != nullptr ? message : "?");
    sqlite3_free(message);
    return error;
  }

  // The first column of the first row, as text; "" if there is no row.
  std::string QueryText(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) return "error: " + sql;
    std::string value;
    if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0) != nullptr) {
      value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    return value;
  }

  // One transaction per row, as commits in production are.
  std::string InsertRows(int from, int count) {
    for (int x = from; x < from + count; ++x) {
      const std::string error = Exec("INSERT INTO t (x, pad) VALUES (" + std::to_string(x) + ", randomblob(700))");
      if (!error.empty()) return error;
    }
    return "";
  }

  // An fsync of the WAL, as the syncer makes (it uses a handle of its own; SQLite's is simpler here).
  std::string SyncWal() {
    sqlite3_file* wal = nullptr;
    if (sqlite3_file_control(db_, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK || wal == nullptr ||
        wal->pMethods == nullptr) {
      return "no WAL handle";
    }
    const int rc = wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL);
    return rc == SQLITE_OK ? "" : std::string("WAL sync failed: ") + sqlite3_errstr(rc);
  }

 private:
  sqlite3* db_ = nullptr;
};

// How a forked child ended: "cut" (SIGKILL), "exit <code>", "signal <number>", or what failed.
struct Ending {
  pid_t pid = -1;
  std::string how;
};

// The power cut: the process dies where it stands, without destructors, exit handlers or closing its databases
// (closing the last connection would checkpoint, i.e. sync).
[[noreturn]] void Cut() {
  raise(SIGKILL);
  _exit(2);
}

// Runs `body` in a forked child, which ends inside it (by Cut() or exit). If `body` returns, the child reports the
// error it returns on stderr and exits with 1.
Ending RunInChild(const std::function<std::string()>& body) {
  const pid_t pid = fork();
  if (pid < 0) return {pid, "fork failed"};
  if (pid == 0) {
    alarm(60);  // a hung child dies by SIGALRM, which the parent reports, rather than hanging the test
    const std::string error = body();
    std::fprintf(stderr, "child: %s\n", error.empty() ? "returned instead of ending" : error.c_str());
    _exit(1);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return {pid, "waitpid failed"};
  if (WIFSIGNALED(status))
    return {pid, WTERMSIG(status) == SIGKILL ? "cut" : "signal " + std::to_string(WTERMSIG(status))};
  return {pid, "exit " + std::to_string(WEXITSTATUS(status))};
}

class LossyVfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_EQ(sqlite3_vfs_find(kVfsName), nullptr) << "this process must not have the VFS; only its children";
    // The table is on disk before any child runs, so all a cut can take is the child's rows.
    Connection db;
    ASSERT_EQ(db.Open(DbPath(), "unix"), "");
    ASSERT_EQ(db.Exec("PRAGMA journal_mode=WAL"), "");
    ASSERT_EQ(db.Exec("CREATE TABLE t (x INTEGER PRIMARY KEY, pad BLOB); CREATE INDEX t_pad ON t(pad)"), "");
  }

  std::string DbPath() const { return (dir_ / "test.db").string(); }
  std::string StatsFile() const { return (dir_ / "child.lossy").string(); }

  // In a child: installs the VFS (stats in StatsFile()) and opens the database through it with synchronous=NORMAL,
  // as deferred commits run, and no automatic checkpoint.
  std::string OpenInChild(Connection& db) {
    if (Status installed = Install({.stats_path = StatsFile()}); !installed.ok()) return installed.ToString();
    std::string error = db.Open(DbPath(), kVfsName);
    return error.empty() ? db.Exec("PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0") : error;
  }

  // OpenInChild, then `body`, then the cut, with the database still open.
  Ending InChildThenCut(const std::function<std::string(Connection&)>& body) {
    return RunInChild([&]() -> std::string {
      Connection db;
      std::string error = OpenInChild(db);
      if (error.empty()) error = body(db);
      if (error.empty()) Cut();
      return error;
    });
  }

  // What survived the cut, read through "unix", which also recovers the WAL as after a real crash.
  std::string QueryAfterCut(const std::string& sql) {
    Connection db;
    const std::string error = db.Open(DbPath(), "unix");
    return error.empty() ? db.QueryText(sql) : error;
  }
  std::string RowsAfterCut() { return QueryAfterCut("SELECT count(*) FROM t"); }

  Stats StatsOf(const std::string& path) {
    auto stats = ReadStats(path);
    EXPECT_TRUE(stats.ok()) << stats.status().ToString();
    return stats.ok() ? *stats : Stats{};
  }

  scratch::TempDir dir_{"sagaflow-lossy-vfs-test"};
};

TEST_F(LossyVfsTest, CommitsNeverSyncedAreGoneAfterTheKill) {
  const Ending child = InChildThenCut([](Connection& db) { return db.InsertRows(0, kRows); });
  ASSERT_EQ(child.how, "cut");
  const Stats stats = StatsOf(StatsFile());
  EXPECT_EQ(RowsAfterCut(), "0") << stats.syncs << " syncs, " << stats.synced_bytes << " bytes synced";

  // Each commit appended at least a page to the WAL; the stats saw all of it discarded.
  EXPECT_EQ(stats.pid, child.pid);
  EXPECT_GE(stats.unsynced_bytes, int64_t{kRows} * 4096);
  EXPECT_GE(stats.unsynced_writes, kRows);
}

// The WAL's overlay is far over 128 KiB here, which "unix" cannot write in one call: the sync writes it in pieces.
TEST_F(LossyVfsTest, ASyncedWalSurvivesTheKill) {
  const Ending child = InChildThenCut([](Connection& db) {
    std::string error = db.InsertRows(0, kRows);
    return error.empty() ? db.SyncWal() : error;
  });
  ASSERT_EQ(child.how, "cut");
  EXPECT_EQ(RowsAfterCut(), std::to_string(kRows));

  const Stats stats = StatsOf(StatsFile());
  EXPECT_EQ(stats.unsynced_bytes, 0);
  EXPECT_EQ(stats.unsynced_writes, 0);
  EXPECT_GE(stats.synced_bytes, int64_t{kRows} * 4096);
  EXPECT_GE(stats.syncs, 1);
}

TEST_F(LossyVfsTest, ACheckpointSurvivesTheKill) {
  const Ending child = InChildThenCut([](Connection& db) {
    std::string error = db.InsertRows(0, kRows);
    return error.empty() ? db.Exec("PRAGMA wal_checkpoint") : error;
  });
  ASSERT_EQ(child.how, "cut");
  EXPECT_EQ(RowsAfterCut(), std::to_string(kRows));
  EXPECT_EQ(StatsOf(StatsFile()).unsynced_bytes, 0);
}

TEST_F(LossyVfsTest, OnlyTheCommitsAfterTheLastSyncAreLost) {
  const Ending child = InChildThenCut([](Connection& db) {
    std::string error = db.InsertRows(0, kRows / 2);
    if (error.empty()) error = db.SyncWal();
    return error.empty() ? db.InsertRows(kRows / 2, kRows / 2) : error;
  });
  ASSERT_EQ(child.how, "cut");
  EXPECT_EQ(RowsAfterCut(), std::to_string(kRows / 2));
  EXPECT_EQ(QueryAfterCut("SELECT max(x) FROM t"), std::to_string(kRows / 2 - 1));
  EXPECT_GT(StatsOf(StatsFile()).unsynced_bytes, 0);
}

// After a checkpoint the next commit rewrites the WAL from its start; the cut leaves the new (synced) header over
// old frames on disk, which recovery must ignore, and a database file last written by the checkpoint.
TEST_F(LossyVfsTest, TheDatabaseIsIntactAfterACutThatFollowsAWalRestart) {
  const Ending child = InChildThenCut([](Connection& db) {
    std::string error = db.InsertRows(0, kRows);
    if (error.empty()) error = db.Exec("PRAGMA wal_checkpoint");
    if (error.empty()) error = db.Exec("DELETE FROM t WHERE x % 3 = 0");  // frees pages, rewrites the index
    return error.empty() ? db.InsertRows(kRows, kRows) : error;
  });
  ASSERT_EQ(child.how, "cut");
  // The premise: the checkpointed frames are still on disk behind the new header.
  EXPECT_GT(std::filesystem::file_size(DbPath() + "-wal"), 32u);
  EXPECT_EQ(QueryAfterCut("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(RowsAfterCut(), std::to_string(kRows));
}

// A clean exit is no power cut: the OS would still write the page cache out, so the VFS does.
TEST_F(LossyVfsTest, AnExitWithoutSyncKeepsTheWrites) {
  const Ending child = RunInChild([this]() -> std::string {
    Connection db;
    std::string error = OpenInChild(db);
    if (error.empty()) error = db.InsertRows(0, kRows);
    if (error.empty()) std::exit(0);  // with the database open: no close, so no checkpoint to sync it
    return error;
  });
  ASSERT_EQ(child.how, "exit 0");
  EXPECT_EQ(RowsAfterCut(), std::to_string(kRows));
  const Stats stats = StatsOf(StatsFile());
  EXPECT_EQ(stats.unsynced_bytes, 0);
  EXPECT_GE(stats.exit_flushed_bytes, int64_t{kRows} * 4096);
}

TEST_F(LossyVfsTest, HandlesOfOnePathShareTheirUnsyncedWrites) {
  const Ending child = InChildThenCut([this](Connection& writer) {
    std::string error = writer.InsertRows(0, kRows);
    if (!error.empty()) return error;
    Connection reader;
    if (error = reader.Open(DbPath(), kVfsName); !error.empty()) return error;
    const std::string rows = reader.QueryText("SELECT count(*) FROM t");
    return rows == std::to_string(kRows) ? "" : "a second connection saw " + rows + " rows";
  });
  ASSERT_EQ(child.how, "cut");
  EXPECT_EQ(RowsAfterCut(), "0");
}

// storage::Database in a child whose environment asks for the VFS, as a service started by the chaos test would be.
class LossyDatabaseTest : public LossyVfsTest {
 protected:
  Ending InChildDatabaseThenCut(const std::function<Status(Database&)>& body) {
    return RunInChild([&]() -> std::string {
      setenv(kEnableVariable, "1", 1);
      setenv(kStatsDirVariable, dir_.path().c_str(), 1);
      auto db = Database::Open({DbPath(), Durability::kFull});
      if (!db.ok()) return db.status().ToString();
      const Status status = body(**db);
      if (status.ok()) Cut();
      return status.ToString();
    });
  }

  static Status Insert(Database& db, int x) {
    return db.Write([&](UnitOfWork& uow) {
      uow.Exec("INSERT INTO t (x, pad) VALUES (" + std::to_string(x) + ", randomblob(700))");
      return Status::Ok();
    });
  }
};

TEST_F(LossyDatabaseTest, TheEnvironmentMakesCommitsNobodyAwaitedLossy) {
  const Ending child = InChildDatabaseThenCut([](Database& db) {
    for (int x = 0; x < kRows; ++x) {
      if (Status inserted = Insert(db, x); !inserted.ok()) return inserted;
    }
    return Status::Ok();
  });
  ASSERT_EQ(child.how, "cut");
  EXPECT_EQ(RowsAfterCut(), "0");
  EXPECT_GE(StatsOf(StatsPath(dir_.path().string(), child.pid)).unsynced_bytes, int64_t{kRows} * 4096);
}

// The syncer fsyncs through its own handle on the WAL, opened through the same (lossy) VFS: that one fsync must
// carry every commit made before it.
TEST_F(LossyDatabaseTest, AwaitDurableMakesEveryCommitBeforeItSurviveTheKill) {
  const Ending child = InChildDatabaseThenCut([](Database& db) {
    for (int x = 0; x < kRows; ++x) {
      if (Status inserted = Insert(db, x); !inserted.ok()) return inserted;
    }
    if (Status durable = db.AwaitDurable(); !durable.ok()) return durable;
    return db.commit_stats().syncs == 1 ? Status::Ok() : Status::Conflict("expected one fsync for them all");
  });
  ASSERT_EQ(child.how, "cut");
  EXPECT_EQ(RowsAfterCut(), std::to_string(kRows));
  EXPECT_EQ(StatsOf(StatsPath(dir_.path().string(), child.pid)).unsynced_bytes, 0);
}

TEST_F(LossyDatabaseTest, OnlyTheCommitsAfterTheLastAwaitAreLost) {
  const Ending child = InChildDatabaseThenCut([](Database& db) {
    for (int x = 0; x < kRows; ++x) {
      if (Status inserted = Insert(db, x); !inserted.ok()) return inserted;
      if (x == kRows / 2 - 1) {
        if (Status durable = db.AwaitDurable(); !durable.ok()) return durable;
      }
    }
    return Status::Ok();
  });
  ASSERT_EQ(child.how, "cut");
  EXPECT_EQ(RowsAfterCut(), std::to_string(kRows / 2));
}

// Restores one environment variable when the test ends.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name); old != nullptr) old_ = old;
    had_ = std::getenv(name) != nullptr;
    if (value == nullptr) {
      unsetenv(name);
    } else {
      setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (had_) {
      setenv(name_, old_.c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

TEST(LossyVfsEnvironmentTest, UnsetEmptyOrZeroInstallsNothing) {
  for (const char* value : {static_cast<const char*>(nullptr), "", "0"}) {
    ScopedEnv env(kEnableVariable, value);
    EXPECT_TRUE(InstallFromEnvironment().ok());
    EXPECT_EQ(sqlite3_vfs_find(kVfsName), nullptr);
  }
}

TEST(LossyVfsEnvironmentTest, AnyOtherValueIsRejected) {
  ScopedEnv env(kEnableVariable, "yes");
  EXPECT_TRUE(InstallFromEnvironment().IsInvalidArgument());
  EXPECT_EQ(sqlite3_vfs_find(kVfsName), nullptr);
}

}  // namespace
}  // namespace sagaflow::storage::lossy_vfs

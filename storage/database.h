// Database: one SQLite file, opened in WAL mode with a busy timeout, foreign keys and a chosen
// durability, shared by all threads of one process.
//
// Every access goes through Write (a UnitOfWork, atomic on its own) or Read, which hold the connection's
// mutex for their duration, so the process is the file's only writer and its threads never interleave
// inside a unit of work. Writes that arrive while a commit is under way are group-committed: the next
// one to run takes every waiting unit of work, runs each inside its own SAVEPOINT of one BEGIN IMMEDIATE
// transaction and commits them with one fsync (LevelDB's write batching); each still succeeds or rolls
// back alone, and Write returns only once its effects are durable (unless deferred, below). Callbacks
// must not call Write/Read again (it would deadlock).
// SQLite exceptions thrown inside a callback are caught here and returned as IoError; nothing from
// SQLiteCpp escapes this component except through the Sql handle the callbacks receive.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/clock.h"
#include "common/status.h"

namespace sagaflow::storage {

// synchronous=FULL fsyncs the WAL at every commit: a committed transaction survives power loss.
// NORMAL fsyncs only at checkpoints: ~5x more commits per second, and a power loss (not a process
// crash) can lose the last commits. FULL is the default everywhere; NORMAL is an explicit opt-in.
enum class Durability { kFull, kNormal };
Result<Durability> ParseDurability(const std::string& text);

// What one write needs of the disk. kDurable: Write returns after the commit's fsync (with kFull).
// kDeferred: the commit skips its own fsync and reaches the disk with the next durable commit or
// checkpoint of the file; a process crash loses nothing, a power loss can lose it (never a later
// durable commit without it: the WAL is one ordered log). Only a write whose loss the sender's re-send
// repairs may defer: an acknowledgement recorded, a row marked published. A group is deferred only if
// all its writes are, and a deferred write that called UnitOfWork::RequireSync (as Outbox::Append does)
// is synced before Write returns, so nothing leaves the process that a power loss could take back.
enum class Sync { kDurable, kDeferred };

struct DatabaseOptions {
  std::string path;
  Durability durability = Durability::kFull;
  Millis busy_timeout{5000};
  bool read_only = false;
};

// The handle a Read or Write callback uses: prepared statements are cached per connection.
class Sql {
 public:
  explicit Sql(SQLite::Database& db, std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>>& cache)
      : db_(db), cache_(cache) {}
  // A cached statement for `sql`, reset and with its bindings cleared.
  SQLite::Statement& Prepare(const std::string& sql);
  void Exec(const std::string& sql) { db_.exec(sql); }
  int64_t LastInsertId() const { return db_.getLastInsertRowid(); }
  int Changes() const { return db_.getChanges(); }
  // Resets every statement this handle prepared, so no half-read SELECT keeps a read snapshot open
  // (which would stop WAL checkpoints).
  void ResetUsed();

 private:
  SQLite::Database& db_;
  std::vector<SQLite::Statement*> used_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>>& cache_;
};

// One write transaction. Actions registered with AfterCommit run after COMMIT succeeded (e.g. waking
// the outbox relay), outside the transaction but still under the connection lock; they must be quick.
class UnitOfWork : public Sql {
 public:
  using Sql::Sql;
  void AfterCommit(std::function<void()> action) { after_commit_.push_back(std::move(action)); }
  // This write's effects leave the process (an outbox row): even a deferred write is then synced.
  void RequireSync() { require_sync_ = true; }

 private:
  friend class Database;
  std::vector<std::function<void()>> after_commit_;
  bool require_sync_ = false;
};

class Database {
 public:
  static Result<std::unique_ptr<Database>> Open(const DatabaseOptions& options);

  // Runs `work` in a BEGIN IMMEDIATE transaction, possibly shared with other threads' concurrent
  // writes (each in its own savepoint). OK from `work` commits; anything else rolls back this work
  // alone and is returned. An exception inside `work` rolls back and becomes IoError. A failed COMMIT
  // fails every write of the group.
  Status Write(const std::function<Status(UnitOfWork&)>& work, Sync sync = Sync::kDurable);
  // Runs `work` against the connection without opening a write transaction.
  Status Read(const std::function<Status(Sql&)>& work);

  const std::string& path() const { return path_; }

  // How many transactions were committed, how many units of work they carried, how many pages they
  // wrote (WAL frames, each written before the commit's fsync), and how many of the transactions
  // skipped their fsync (deferred, with kFull), for the metrics.
  struct CommitStats {
    int64_t transactions = 0;
    int64_t writes = 0;
    int64_t pages_written = 0;
    int64_t deferred = 0;
  };
  CommitStats commit_stats();
  // Writes queued or running now (for tests that build a group deterministically).
  size_t queued_writes();

  // The prepared (cached) statements that stepped through a table without an index since they were prepared, with
  // their step counts: a periodic scan listed here costs more as history grows (tests assert none is).
  std::vector<std::pair<std::string, int>> FullScanSteps();

 private:
  struct PendingWrite;

  Database(std::string path, Durability durability, std::unique_ptr<SQLite::Database> db)
      : path_(std::move(path)),
        durability_(durability),
        synchronous_normal_(durability == Durability::kNormal),
        db_(std::move(db)) {}
  // Runs `group` in one transaction under mu_, setting each write's status.
  void CommitGroup(const std::vector<PendingWrite*>& group);
  void RunGroup(const std::vector<PendingWrite*>& group);
  Status RunAlone(PendingWrite& write);
  // Sets the safety level of the next transaction (SQLite refuses to change it inside one).
  Status UseSynchronous(bool normal);
  // fsyncs the WAL now: what a deferred commit skipped.
  Status SyncWal();

  std::string path_;
  Durability durability_;
  bool synchronous_normal_;  // the connection's level now; under mu_
  std::mutex queue_mu_;      // guards queue_; never held while SQLite works
  std::deque<PendingWrite*> queue_;
  CommitStats stats_;  // under mu_
  std::mutex mu_;
  std::unique_ptr<SQLite::Database> db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

}  // namespace sagaflow::storage

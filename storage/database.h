// Database: one SQLite file, opened in WAL mode with a busy timeout and foreign keys, shared by all
// threads of one process.
//
// Every access goes through Write (a UnitOfWork, atomic on its own) or Read, which hold the connection's
// mutex for their duration, so the process is the file's only writer and its threads never interleave
// inside a unit of work. Writes that arrive while a commit is under way are group-committed: the next
// one to run takes every waiting unit of work, runs each inside its own SAVEPOINT of one BEGIN IMMEDIATE
// transaction and commits them together (LevelDB's write batching); each still succeeds or rolls back
// alone. Callbacks must not call Write/Read again (it would deadlock).
//
// Durable before visible: a commit does not wait for an fsync (a process crash loses nothing: the WAL is
// in the OS cache), and commits are numbered. Whoever lets a commit's effects leave the process (an
// outbox publish, an HTTP 2xx) first calls AwaitDurable, and an effect outside the databases is
// registered with UnitOfWork::AfterDurable; a WalSyncer fsyncs once for every commit made before it.
// SQLite exceptions thrown inside a callback are caught here and returned as IoError; nothing from
// SQLiteCpp escapes this component except through the Sql handle the callbacks receive.
#pragma once

#include <atomic>
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
#include "storage/wal_syncer.h"

namespace sagaflow::storage {

// kFull (the default): AwaitDurable waits for the fsync that covers the commits before it, so nothing
// leaves the process that a power loss could take back. kNormal is the explicit opt-out, for measuring
// the upper bound: nothing waits for an fsync (SQLite syncs only at checkpoints), and a power loss can
// take back commits whose effects others have already seen.
enum class Durability { kFull, kNormal };
Result<Durability> ParseDurability(const std::string& text);

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
// Actions registered with AfterDurable run once the commit is on disk, on the syncer's thread, in commit
// order: the place for an effect outside the databases (an e-mail, a card capture) whose dedupe record
// this transaction writes. Neither runs if the work rolls back; an AfterDurable action does not run if
// the process dies (or the fsync fails) first, so such an effect happens at most once. An AfterDurable
// action must not call AwaitDurable or AwaitEffects: it runs on the thread those wait for.
class UnitOfWork : public Sql {
 public:
  using Sql::Sql;
  void AfterCommit(std::function<void()> action) { after_commit_.push_back(std::move(action)); }
  void AfterDurable(std::function<void()> action) { after_durable_.push_back(std::move(action)); }

 private:
  friend class Database;
  std::vector<std::function<void()>> after_commit_;
  std::vector<std::function<void()>> after_durable_;
};

class Database {
 public:
  static Result<std::unique_ptr<Database>> Open(const DatabaseOptions& options);

  // Runs `work` in a BEGIN IMMEDIATE transaction, possibly shared with other threads' concurrent
  // writes (each in its own savepoint). OK from `work` commits; anything else rolls back this work
  // alone and is returned. An exception inside `work` rolls back and becomes IoError. A failed COMMIT
  // fails every write of the group. Returns once committed, without waiting for an fsync.
  Status Write(const std::function<Status(UnitOfWork&)>& work);
  // Returns once every commit made before the call is on disk (or the error of a failed fsync, which is
  // sticky). Call it before anything those commits caused leaves the process.
  Status AwaitDurable();
  // As AwaitDurable, and also until the AfterDurable effects of those commits have run (a clean shutdown
  // lets them happen; tests observe them).
  Status AwaitEffects();
  // Runs `work` against the connection without opening a write transaction.
  Status Read(const std::function<Status(Sql&)>& work);

  const std::string& path() const { return path_; }

  // How many transactions were committed, how many units of work they carried, how many pages they
  // wrote (WAL frames), and how many fsyncs made them durable: the syncer's, and two for each checkpoint
  // (SQLite syncs the WAL and then the database file), for the metrics.
  struct CommitStats {
    int64_t transactions = 0;
    int64_t writes = 0;
    int64_t pages_written = 0;
    int64_t syncs = 0;
    int64_t checkpoints = 0;
  };
  CommitStats commit_stats();
  // Writes queued or running now (for tests that build a group deterministically).
  size_t queued_writes();

  // The prepared (cached) statements that stepped through a table without an index since they were prepared, with
  // their step counts: a periodic scan listed here costs more as history grows (tests assert none is).
  std::vector<std::pair<std::string, int>> FullScanSteps();

 private:
  struct PendingWrite;

  Database(std::string path, std::unique_ptr<SQLite::Database> db, bool sync);
  // Runs `group` in one transaction under mu_, setting each write's status.
  void CommitGroup(const std::vector<PendingWrite*>& group);
  void RunGroup(const std::vector<PendingWrite*>& group);
  Status RunAlone(PendingWrite& write);
  // SQLite's own automatic checkpoint, counted: called after each commit with the WAL's size in pages.
  void CheckpointIfDue(int wal_pages);

  std::string path_;
  std::mutex queue_mu_;  // guards queue_; never held while SQLite works
  std::deque<PendingWrite*> queue_;
  CommitStats stats_;                     // under mu_
  std::atomic<uint64_t> last_commit_{0};  // commits are numbered from 1; written under mu_
  std::mutex mu_;
  std::unique_ptr<SQLite::Database> db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
  // Declared after db_ so that it stops (with a last fsync) before the connection closes.
  std::unique_ptr<WalSyncer> syncer_;
};

}  // namespace sagaflow::storage

#include "storage/database.h"

#include <algorithm>

#include <sqlite3.h>

#ifdef SAGAFLOW_LOSSY_VFS
#include "storage/lossy_vfs/lossy_vfs.h"
#endif

namespace sagaflow::storage {

Result<Durability> ParseDurability(const std::string& text) {
  if (text == "full") return Durability::kFull;
  if (text == "normal") return Durability::kNormal;
  return Status::InvalidArgument("durability must be full or normal, got '" + text + "'");
}

SQLite::Statement& Sql::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    it = cache_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
  } else {
    it->second->reset();
    it->second->clearBindings();
  }
  used_.push_back(it->second.get());
  return *it->second;
}

void Sql::ResetUsed() {
  for (auto* statement : used_) {
    try {
      statement->reset();
    } catch (const std::exception&) {
      // reset() reports the statement's last step error again; it was already handled there.
    }
  }
  used_.clear();
}

namespace {

// SQLite's default automatic checkpoint size, in pages; done here instead so that it is counted.
constexpr int kCheckpointPages = 1000;

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const DatabaseOptions& options) {
#ifdef SAGAFLOW_LOSSY_VFS
  // Test builds: SAGAFLOW_TEST_LOSSY_VFS=1 makes a SIGKILL lose what a power cut would (lossy_vfs.h).
  if (Status vfs = lossy_vfs::InstallFromEnvironment(); !vfs.ok()) return vfs;
#endif
  try {
    const int flags = options.read_only ? SQLite::OPEN_READONLY : (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    auto db = std::make_unique<SQLite::Database>(options.path, flags, static_cast<int>(options.busy_timeout.count()));
    if (!options.read_only) db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA foreign_keys=ON");
    // Commits never fsync; checkpoints do (WAL first, then the database file), and the syncer does.
    db->exec("PRAGMA synchronous=NORMAL");
    // A reader makes no commits, so it has nothing to sync.
    const bool sync = options.durability == Durability::kFull && !options.read_only;
    return std::unique_ptr<Database>(new Database(options.path, std::move(db), sync));
  } catch (const std::exception& e) {
    return Status::IoError("cannot open database " + options.path + ": " + e.what());
  }
}

Database::Database(std::string path, std::unique_ptr<SQLite::Database> db, bool sync)
    : path_(std::move(path)), db_(std::move(db)) {
  sqlite3* handle = db_->getHandle();
  sqlite3_vfs* vfs = nullptr;
  if (sqlite3_file_control(handle, "main", SQLITE_FCNTL_VFS_POINTER, &vfs) != SQLITE_OK || vfs == nullptr) {
    vfs = sqlite3_vfs_find(nullptr);
  }
  syncer_ = std::make_unique<WalSyncer>(vfs, path_ + "-wal", sync);
  // Replaces SQLite's automatic checkpoint (a WAL hook too) with the same one, counted.
  sqlite3_wal_hook(
      handle,
      [](void* self, sqlite3* /*db*/, const char* /*schema*/, int wal_pages) {
        static_cast<Database*>(self)->CheckpointIfDue(wal_pages);
        return SQLITE_OK;
      },
      this);
}

void Database::CheckpointIfDue(int wal_pages) {
  if (wal_pages < kCheckpointPages) return;
  int log_frames = 0;
  int checkpointed = 0;
  // PASSIVE, as SQLite's own: it copies what no reader still needs and never waits. Under mu_.
  if (sqlite3_wal_checkpoint_v2(db_->getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &checkpointed) ==
          SQLITE_OK &&
      checkpointed > 0) {
    ++stats_.checkpoints;
  }
}

struct Database::PendingWrite {
  explicit PendingWrite(const std::function<Status(UnitOfWork&)>& w) : work(w) {}
  const std::function<Status(UnitOfWork&)>& work;
  Status status;
  std::vector<std::function<void()>> after_commit;
  std::vector<std::function<void()>> after_durable;
  bool done = false;  // under queue_mu_
  std::condition_variable turn;
};

namespace {

// Bounds how long the first unit of work of a group waits for the others to run.
constexpr size_t kMaxGroup = 256;

}  // namespace

Status Database::Write(const std::function<Status(UnitOfWork&)>& work) {
  PendingWrite self(work);
  std::unique_lock lock(queue_mu_);
  queue_.push_back(&self);
  self.turn.wait(lock, [&] { return self.done || queue_.front() == &self; });
  if (self.done) return self.status;  // a group led by another thread carried this write

  // This write leads: it takes every write waiting behind it, commits them together, then hands the
  // lead to the next one queued meanwhile.
  const size_t count = std::min(queue_.size(), kMaxGroup);
  std::vector<PendingWrite*> group(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
  lock.unlock();
  CommitGroup(group);
  lock.lock();
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
  for (PendingWrite* write : group) {
    if (write == &self) continue;
    write->done = true;
    write->turn.notify_one();
  }
  if (!queue_.empty()) queue_.front()->turn.notify_one();
  return self.status;
}

Status Database::RunAlone(PendingWrite& write) {
  UnitOfWork uow(*db_, statements_);
  try {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    Status status = write.work(uow);
    uow.ResetUsed();
    if (!status.ok()) return status;  // ~Transaction rolls back
    tx.commit();
  } catch (const std::exception& e) {
    uow.ResetUsed();
    return Status::IoError(path_ + ": " + e.what());
  }
  write.after_commit = std::move(uow.after_commit_);
  write.after_durable = std::move(uow.after_durable_);
  return Status::Ok();
}

void Database::RunGroup(const std::vector<PendingWrite*>& group) {
  try {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    for (PendingWrite* write : group) {
      UnitOfWork uow(*db_, statements_);
      db_->exec("SAVEPOINT unit_of_work");
      try {
        write->status = write->work(uow);
      } catch (const std::exception& e) {
        write->status = Status::IoError(path_ + ": " + e.what());
      }
      uow.ResetUsed();
      if (write->status.ok()) {
        db_->exec("RELEASE unit_of_work");
        write->after_commit = std::move(uow.after_commit_);
        write->after_durable = std::move(uow.after_durable_);
      } else {
        // Throws if SQLite already rolled back the whole transaction (e.g. disk full): then the
        // group fails below, as nothing of it is stored.
        db_->exec("ROLLBACK TO unit_of_work");
        db_->exec("RELEASE unit_of_work");
      }
    }
    tx.commit();
  } catch (const std::exception& e) {
    for (PendingWrite* write : group) {
      write->status = Status::IoError(path_ + ": " + e.what());
      write->after_commit.clear();
      write->after_durable.clear();
    }
  }
}

void Database::CommitGroup(const std::vector<PendingWrite*>& group) {
  std::lock_guard lock(mu_);
  if (group.size() == 1) {
    group[0]->status = RunAlone(*group[0]);
  } else {
    RunGroup(group);
  }
  const bool committed =
      std::any_of(group.begin(), group.end(), [](const PendingWrite* write) { return write->status.ok(); });
  if (committed) {
    const uint64_t number = last_commit_.load() + 1;
    last_commit_.store(number);
    std::vector<std::function<void()>> after_durable;
    for (PendingWrite* write : group) {
      for (auto& action : write->after_durable) after_durable.push_back(std::move(action));
    }
    syncer_->Committed(number, std::move(after_durable));
  }
  ++stats_.transactions;
  stats_.writes += static_cast<int64_t>(group.size());
  // SQLite counts in an int; taking and resetting it at every commit keeps a long-running total exact.
  int pages = 0;
  int highwater = 0;
  if (sqlite3_db_status(db_->getHandle(), SQLITE_DBSTATUS_CACHE_WRITE, &pages, &highwater, 1) == SQLITE_OK) {
    stats_.pages_written += pages;
  }
  for (PendingWrite* write : group) {
    for (auto& action : write->after_commit) action();
  }
}

Status Database::AwaitDurable() {
  return syncer_->AwaitDurable(last_commit_.load());
}

Status Database::AwaitEffects() {
  return syncer_->AwaitEffects(last_commit_.load());
}

size_t Database::queued_writes() {
  std::lock_guard lock(queue_mu_);
  return queue_.size();
}

Database::CommitStats Database::commit_stats() {
  std::lock_guard lock(mu_);
  CommitStats stats = stats_;
  stats.syncs = syncer_->syncs();
  return stats;
}

Status Database::Read(const std::function<Status(Sql&)>& work) {
  std::lock_guard lock(mu_);
  Sql sql(*db_, statements_);
  Status status;
  try {
    status = work(sql);
  } catch (const std::exception& e) {
    status = Status::IoError(path_ + ": " + e.what());
  }
  sql.ResetUsed();
  return status;
}

std::vector<std::pair<std::string, int>> Database::FullScanSteps() {
  std::lock_guard lock(mu_);
  std::vector<std::pair<std::string, int>> scans;
  sqlite3* handle = db_->getHandle();
  for (sqlite3_stmt* statement = sqlite3_next_stmt(handle, nullptr); statement != nullptr;
       statement = sqlite3_next_stmt(handle, statement)) {
    const int steps = sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
    if (steps > 0) scans.emplace_back(sqlite3_sql(statement), steps);
  }
  return scans;
}

}  // namespace sagaflow::storage

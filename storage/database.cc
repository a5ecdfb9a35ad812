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
    db->exec(options.durability == Durability::kFull ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    return std::unique_ptr<Database>(new Database(options.path, options.durability, std::move(db)));
  } catch (const std::exception& e) {
    return Status::IoError("cannot open database " + options.path + ": " + e.what());
  }
}

struct Database::PendingWrite {
  PendingWrite(const std::function<Status(UnitOfWork&)>& w, Sync s) : work(w), sync(s) {}
  const std::function<Status(UnitOfWork&)>& work;
  const Sync sync;
  Status status;
  std::vector<std::function<void()>> after_commit;
  bool require_sync = false;  // committed effects that leave the process
  bool done = false;          // under queue_mu_
  std::condition_variable turn;
};

namespace {

// Bounds how long the first unit of work of a group waits for the others to run.
constexpr size_t kMaxGroup = 256;

}  // namespace

Status Database::Write(const std::function<Status(UnitOfWork&)>& work, Sync sync) {
  PendingWrite self(work, sync);
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
  write.require_sync = uow.require_sync_;
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
        write->require_sync = uow.require_sync_;
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
      write->require_sync = false;
    }
  }
}

void Database::CommitGroup(const std::vector<PendingWrite*>& group) {
  std::lock_guard lock(mu_);
  bool deferred =
      durability_ == Durability::kFull &&
      std::all_of(group.begin(), group.end(), [](const PendingWrite* write) { return write->sync == Sync::kDeferred; });
  if (deferred && !UseSynchronous(/*normal=*/true).ok()) deferred = false;  // then it runs durable: safe
  if (!deferred) {
    if (Status full = UseSynchronous(durability_ == Durability::kNormal); !full.ok()) {
      for (PendingWrite* write : group) write->status = full;  // never commit durable writes without the fsync
      return;
    }
  }
  if (group.size() == 1) {
    group[0]->status = RunAlone(*group[0]);
  } else {
    RunGroup(group);
  }
  if (deferred) {
    const bool leaves_process = std::any_of(group.begin(), group.end(), [](const PendingWrite* write) {
      return write->status.ok() && write->require_sync;
    });
    if (!leaves_process) {
      ++stats_.deferred;
    } else if (Status synced = SyncWal(); !synced.ok()) {
      for (PendingWrite* write : group) {  // committed, but not durable: nothing of it may be published
        write->status = synced;
        write->after_commit.clear();
      }
    }
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

Status Database::UseSynchronous(bool normal) {
  if (normal == synchronous_normal_) return Status::Ok();
  try {
    db_->exec(normal ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
    synchronous_normal_ = normal;
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::IoError(path_ + ": cannot change synchronous: " + e.what());
  }
}

Status Database::SyncWal() {
  sqlite3_file* wal = nullptr;
  if (sqlite3_file_control(db_->getHandle(), "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK ||
      wal == nullptr || wal->pMethods == nullptr) {
    return Status::IoError(path_ + ": no WAL file to sync");
  }
  // What synchronous=FULL does at a WAL commit (fdatasync on Linux).
  if (wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL) != SQLITE_OK) {
    return Status::IoError(path_ + ": cannot sync the WAL");
  }
  return Status::Ok();
}

size_t Database::queued_writes() {
  std::lock_guard lock(queue_mu_);
  return queue_.size();
}

Database::CommitStats Database::commit_stats() {
  std::lock_guard lock(mu_);
  return stats_;
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

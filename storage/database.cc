#include "storage/database.h"

#include <sqlite3.h>

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
  try {
    const int flags = options.read_only ? SQLite::OPEN_READONLY : (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    auto db = std::make_unique<SQLite::Database>(options.path, flags, static_cast<int>(options.busy_timeout.count()));
    if (!options.read_only) db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA foreign_keys=ON");
    db->exec(options.durability == Durability::kFull ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    return std::unique_ptr<Database>(new Database(options.path, std::move(db)));
  } catch (const std::exception& e) {
    return Status::IoError("cannot open database " + options.path + ": " + e.what());
  }
}

Status Database::Write(const std::function<Status(UnitOfWork&)>& work) {
  std::lock_guard lock(mu_);
  UnitOfWork uow(*db_, statements_);
  try {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    Status status = work(uow);
    uow.ResetUsed();
    if (!status.ok()) return status;  // ~Transaction rolls back
    tx.commit();
  } catch (const std::exception& e) {
    uow.ResetUsed();
    return Status::IoError(path_ + ": " + e.what());
  }
  for (auto& action : uow.after_commit_) action();
  return Status::Ok();
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

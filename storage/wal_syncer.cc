#include "storage/wal_syncer.h"

#include <cstring>

#include <sqlite3.h>

namespace sagaflow::storage {

WalSyncer::WalSyncer(sqlite3_vfs* vfs, std::string wal_path, bool enabled, std::chrono::microseconds effects_delay)
    : vfs_(vfs), wal_path_(std::move(wal_path)), enabled_(enabled), effects_delay_(effects_delay) {
  // SQLite reads URI parameters after a file name's NUL; a name it did not make must end in several.
  wal_path_.append(4, '\0');
  thread_ = std::thread([this] { Loop(); });
}

WalSyncer::~WalSyncer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_syncer_.notify_one();
  synced_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (wal_ != nullptr) {
    if (wal_->pMethods != nullptr) wal_->pMethods->xClose(wal_);
    sqlite3_free(wal_);
  }
}

void WalSyncer::Committed(uint64_t number, std::vector<std::function<void()>> after_durable) {
  std::lock_guard lock(mu_);
  committed_ = number;
  if (!enabled_) durable_ = number;
  if (!after_durable.empty() && failed_.ok()) {
    pending_.push_back({number, std::move(after_durable), std::chrono::steady_clock::now()});
    wake_syncer_.notify_one();
  }
}

Status WalSyncer::AwaitDurable(uint64_t number) {
  std::unique_lock lock(mu_);
  return AwaitUntil(lock, number, [&] { return durable_ >= number; });
}

Status WalSyncer::AwaitEffects(uint64_t number) {
  std::unique_lock lock(mu_);
  return AwaitUntil(lock, number, [&] { return effects_ >= number; });
}

Status WalSyncer::AwaitUntil(std::unique_lock<std::mutex>& lock, uint64_t number,
                             const std::function<bool()>& reached) {
  if (reached()) return Status::Ok();
  if (!failed_.ok()) return failed_;
  if (number > requested_) {
    requested_ = number;
    wake_syncer_.notify_one();
  }
  synced_.wait(lock, [&] { return reached() || !failed_.ok() || stop_; });
  if (reached()) return Status::Ok();
  if (!failed_.ok()) return failed_;
  return Status::Unavailable("the database is closing");
}

uint64_t WalSyncer::durable() {
  std::lock_guard lock(mu_);
  return durable_;
}

int64_t WalSyncer::syncs() {
  std::lock_guard lock(mu_);
  return syncs_;
}

void WalSyncer::Loop() {
  std::unique_lock lock(mu_);
  while (true) {
    // Work: actions waiting for their fsync, or a waiter for commits not yet durable (or whose effects
    // have not run). effects_ <= durable_ <= committed_.
    const auto awaited = [&] { return requested_ > effects_ && effects_ < committed_; };
    wake_syncer_.wait(lock, [&] { return stop_ || (failed_.ok() && (awaited() || !pending_.empty())); });
    // Only actions pending: let more commits join them for a moment (a waiter or a stop cuts it short).
    if (!stop_ && !awaited() && enabled_ && failed_.ok()) {
      wake_syncer_.wait_until(lock, pending_.front().since + effects_delay_, [&] { return stop_ || awaited(); });
    }
    // At a clean stop, one last fsync lets the actions already committed run (a notification is sent).
    if (stop_ && ((durable_ >= committed_ && pending_.empty()) || !failed_.ok())) break;
    const uint64_t target = committed_;
    lock.unlock();
    const Status synced = enabled_ ? SyncWal() : Status::Ok();
    std::vector<std::function<void()>> ready;
    lock.lock();
    if (synced.ok()) {
      durable_ = target;
      if (enabled_) ++syncs_;
      while (!pending_.empty() && pending_.front().commit <= target) {
        for (auto& action : pending_.front().actions) ready.push_back(std::move(action));
        pending_.pop_front();
      }
    } else {
      failed_ = synced;
      pending_.clear();  // their commits may never reach the disk: nothing of them may leave
    }
    if (!ready.empty()) {
      synced_.notify_all();  // waiters for durability need not wait for the effects
      lock.unlock();
      for (auto& action : ready) action();
      lock.lock();
    }
    if (synced.ok()) effects_ = target;
    synced_.notify_all();
  }
}

Status WalSyncer::SyncWal() {
  const char* name = wal_path_.c_str();
  if (wal_ == nullptr) {
    auto* file = static_cast<sqlite3_file*>(sqlite3_malloc(vfs_->szOsFile));
    if (file == nullptr) return Status::IoError(std::string(name) + ": out of memory");
    std::memset(file, 0, static_cast<size_t>(vfs_->szOsFile));
    int opened_flags = 0;
    if (vfs_->xOpen(vfs_, name, file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_WAL, &opened_flags) != SQLITE_OK) {
      if (file->pMethods != nullptr) file->pMethods->xClose(file);
      sqlite3_free(file);
      return Status::IoError(std::string(name) + ": cannot open the WAL to sync it");
    }
    wal_ = file;
  }
  // What synchronous=FULL does at each WAL commit, once for all the commits made since the last one.
  if (wal_->pMethods->xSync(wal_, SQLITE_SYNC_NORMAL) != SQLITE_OK) {
    return Status::IoError(std::string(name) + ": cannot sync the WAL");
  }
  return Status::Ok();
}

}  // namespace sagaflow::storage

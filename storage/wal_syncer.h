// WalSyncer: makes a database's commits durable in batches, off the commit path.
//
// The connection commits without an fsync (WAL, synchronous=NORMAL) and numbers its commits; it tells
// the syncer about each one (Committed). Whoever is about to let a commit's effects leave the process
// calls AwaitDurable(n): the syncer's thread fsyncs the WAL and advances the durable watermark to the
// last commit made before that fsync began, so one fsync covers every commit before it, however many
// threads wait. Under load that is one fsync per batch; at rest, one per commit somebody waits for, with
// no delay beyond the fsync itself. Actions registered for a commit (AfterDurable) run on the syncer's
// thread once the watermark passes it, in commit order. Nobody waits on such an action, so when actions
// alone are pending the syncer lets them gather for up to `effects_delay` before its fsync: a service
// that sends an e-mail for every message it consumes then pays one fsync per batch, not one per e-mail.
//
// The fsync goes through SQLite's VFS on a handle of the syncer's own (never the connection's, which
// another thread is writing through): the same VFS the connection uses, so a test VFS that simulates
// power loss sees it. A failed fsync is sticky: Linux may have dropped the unsynced pages, so a later
// fsync that succeeds proves nothing; every wait from then on fails, and the process must restart.
//
// Disabled (the --durability normal opt-out), nothing is fsynced here: a commit counts as durable as soon
// as it is made, and its actions run at once, still on the syncer's thread (never under the connection's
// lock, whatever the durability).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"

struct sqlite3_vfs;
struct sqlite3_file;

namespace sagaflow::storage {

class WalSyncer {
 public:
  // `vfs` is the connection's; `wal_path` its WAL file (the database path + "-wal").
  WalSyncer(sqlite3_vfs* vfs, std::string wal_path, bool enabled,
            std::chrono::microseconds effects_delay = kDefaultEffectsDelay);
  static constexpr std::chrono::microseconds kDefaultEffectsDelay{2000};
  ~WalSyncer();
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  // Commit `number` (each larger than the last) was made; `after_durable` runs once it is on disk.
  void Committed(uint64_t number, std::vector<std::function<void()>> after_durable);
  // Returns once commit `number` and all before it are on disk (asking for an fsync if none covers it
  // yet), or the sticky error of a failed fsync.
  Status AwaitDurable(uint64_t number);
  // As AwaitDurable, and also until the AfterDurable actions of those commits have run.
  Status AwaitEffects(uint64_t number);

  // The last commit known to be on disk, and how many fsyncs it took to get there.
  uint64_t durable();
  int64_t syncs();

 private:
  struct PendingActions {
    uint64_t commit;
    std::vector<std::function<void()>> actions;
    std::chrono::steady_clock::time_point since;
  };

  void Loop();
  // Waits (under `lock`) until `reached` holds, asking for an fsync that covers commit `number`.
  Status AwaitUntil(std::unique_lock<std::mutex>& lock, uint64_t number, const std::function<bool()>& reached);
  // Opens the syncer's own handle on the WAL the first time, then fsyncs it. Only the syncer's thread.
  Status SyncWal();

  sqlite3_vfs* vfs_;
  std::string wal_path_;  // with the extra NULs SQLite expects after a name given to xOpen
  const bool enabled_;
  const std::chrono::microseconds effects_delay_;
  sqlite3_file* wal_ = nullptr;  // the syncer's own handle; opened by Loop's thread

  std::mutex mu_;
  std::condition_variable wake_syncer_;
  std::condition_variable synced_;
  uint64_t committed_ = 0;              // under mu_
  uint64_t requested_ = 0;              // the highest commit somebody waits for; under mu_
  uint64_t durable_ = 0;                // under mu_
  uint64_t effects_ = 0;                // the last commit whose actions have run; under mu_
  int64_t syncs_ = 0;                   // under mu_
  Status failed_;                       // sticky; under mu_
  bool stop_ = false;                   // under mu_
  std::deque<PendingActions> pending_;  // in commit order; under mu_
  std::thread thread_;
};

}  // namespace sagaflow::storage

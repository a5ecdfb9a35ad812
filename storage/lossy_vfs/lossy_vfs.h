// lossy_vfs: a test-only SQLite VFS, "sagaflow-lossy", under which killing a process (SIGKILL) loses what a power
// cut of its disk would: every byte written to a database, WAL or rollback journal since that file's last xSync.
//
// It wraps "unix". Writes to those files go to an in-memory overlay per path (overlay.h), shared by every handle of
// the path in the process and guarded by a mutex; reads and sizes see the real file with the overlay on top; xSync
// writes the overlay to the real file, fsyncs it and forgets it. Locks, the -shm wal-index and file controls go
// straight to "unix"; temporary files are not overlaid. Counters of what is unsynced go to a stats file
// (stats_format.h) that outlives the kill. Safe from any thread, like the "unix" VFS.
//
// Selected by the environment in test builds: with SAGAFLOW_BUILD_TESTS, storage::Database::Open (the one place
// sagaflow's binaries open their databases) first calls InstallFromEnvironment, so SAGAFLOW_TEST_LOSSY_VFS=1 makes a
// service lossy without any flag of its own. The release build compiles neither that call nor this library.
#pragma once

#include <string>

#include "common/status.h"
#include "storage/lossy_vfs/stats_format.h"

namespace sagaflow::storage::lossy_vfs {

inline constexpr char kVfsName[] = "sagaflow-lossy";
inline constexpr char kEnableVariable[] = "SAGAFLOW_TEST_LOSSY_VFS";
// A directory: each process that installs the VFS from the environment keeps its stats in StatsPath(dir, its pid).
inline constexpr char kStatsDirVariable[] = "SAGAFLOW_TEST_LOSSY_VFS_STATS";

// How faithful the cut is. Unsynced bytes are lost whole, never torn or half-kept, and only at a death without exit
// handlers: a normal exit writes the overlays out (without fsync), as the OS would. Creating, deleting and truncating
// a file reach the disk at once. xFetch (mmap reads) is refused so every read sees the overlay. After a kill the -shm
// may describe WAL frames the disk never got; the next process to open the database alone rebuilds it from the WAL,
// as after a real crash. Another process sees only synced bytes while the shared -shm describes all of them, so no
// process may read a database that a live lossy process writes.

struct Options {
  bool make_default = false;  // else only connections that name kVfsName use it
  std::string stats_path;     // empty: the counters stay in memory
};

// Registers the VFS. The first call creates it and its stats file; later calls can only make it the default.
// Global state, forced by sqlite3_vfs_register: the VFS, its overlays and stats mapping live until the process ends,
// and an atexit handler does the clean-exit write-out. Install after fork(), not before: a child that does not exec
// would share its parent's overlays and stats. FailedPrecondition without "unix"; IoError if the stats file cannot be
// made or SQLite refuses the registration.
Status Install(const Options& options);

// With SAGAFLOW_TEST_LOSSY_VFS=1, installs the VFS as the default, with stats at
// StatsPath($SAGAFLOW_TEST_LOSSY_VFS_STATS, getpid()) if that is set. Unset, empty or "0": does nothing. Any other
// value is InvalidArgument, so a typo cannot silently test nothing.
Status InstallFromEnvironment();

}  // namespace sagaflow::storage::lossy_vfs

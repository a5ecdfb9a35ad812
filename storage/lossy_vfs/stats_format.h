// The stats file of one process that uses the lossy VFS: a single fixed-size record, shared by its writer
// (stats_writer.h, in the process) and its reader (stats_reader.h, in the test).
//
// The file is `magic` followed by the Stats fields, each a native-endian int64 at an 8-byte aligned offset (writer
// and reader run on the same machine). The writer updates each field with one atomic add in a MAP_SHARED mapping,
// so the values of the moment the process is SIGKILLed stay in the file: `unsynced_bytes` then is what the cut
// discarded.
#pragma once

#include <cstdint>
#include <string>

namespace sagaflow::storage::lossy_vfs {

inline constexpr char kStatsMagic[8] = {'S', 'F', 'L', 'O', 'S', 'S', 'Y', '1'};

struct Stats {
  int64_t pid = 0;
  // Distinct bytes written to database, WAL and journal files and not yet synced: what a power cut now discards.
  int64_t unsynced_bytes = 0;
  // xWrite calls whose bytes are not yet synced (a write overwritten before its sync still counts).
  int64_t unsynced_writes = 0;
  // Bytes made durable by xSync, and the xSync calls, since the VFS was installed.
  int64_t synced_bytes = 0;
  int64_t syncs = 0;
  // Unsynced bytes written out (without fsync) when the process exited normally, as the OS would have: a clean exit
  // is not a power cut.
  int64_t exit_flushed_bytes = 0;
};

struct StatsRecord {
  char magic[8];
  Stats stats;
};
static_assert(sizeof(StatsRecord) == 8 + 6 * sizeof(int64_t), "the stats file has no padding");

// Where InstallFromEnvironment (lossy_vfs.h) puts the stats of process `pid`: "<dir>/<pid>.lossy". A later process
// with the same pid replaces the file, so read it right after the kill.
inline std::string StatsPath(const std::string& dir, int64_t pid) {
  return dir + "/" + std::to_string(pid) + ".lossy";
}

}  // namespace sagaflow::storage::lossy_vfs

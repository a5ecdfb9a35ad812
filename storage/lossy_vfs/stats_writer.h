// StatsWriter: one process's lossy-VFS counters (stats_format.h), kept current in a file mapped MAP_SHARED, so the
// values of the moment the process is SIGKILLed remain readable after it (the page cache outlives the process).
//
// Without a path the counters live in memory only. Thread-safe: every update is one atomic add. The mapping is
// released by the destructor; the file stays.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "storage/lossy_vfs/stats_format.h"

namespace sagaflow::storage::lossy_vfs {

class StatsWriter {
 public:
  // Creates or truncates `path` and maps it; empty `path`: memory only. IoError if the file cannot be made.
  static Result<std::unique_ptr<StatsWriter>> Open(const std::string& path);
  ~StatsWriter();
  StatsWriter(const StatsWriter&) = delete;
  StatsWriter& operator=(const StatsWriter&) = delete;

  // Adds `delta` to one counter, e.g. Add(&Stats::syncs, 1).
  void Add(int64_t Stats::*field, int64_t delta);
  Stats Now() const;

 private:
  StatsWriter(StatsRecord* record, bool mapped) : record_(record), mapped_(mapped) {}

  StatsRecord* record_;
  bool mapped_;  // record_ is the file's mapping, else a heap record owned here
};

}  // namespace sagaflow::storage::lossy_vfs

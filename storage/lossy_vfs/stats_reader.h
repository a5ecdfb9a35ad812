// ReadStats: what a process using the lossy VFS last recorded in its stats file (stats_format.h), for tests that
// kill it and then count what the cut discarded (Stats::unsynced_bytes at the moment of the kill).
//
// Meant to be read after the writer died; a live writer's fields may be of slightly different moments. NotFound if
// there is no such file, Corruption if it is not a stats file, IoError if it cannot be read.
#pragma once

#include <string>

#include "common/status.h"
#include "storage/lossy_vfs/stats_format.h"

namespace sagaflow::storage::lossy_vfs {

Result<Stats> ReadStats(const std::string& path);

}  // namespace sagaflow::storage::lossy_vfs

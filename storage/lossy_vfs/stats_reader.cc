#include "storage/lossy_vfs/stats_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sagaflow::storage::lossy_vfs {

Result<Stats> ReadStats(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) return Status::NotFound("no lossy VFS stats at " + path);
    return Status::IoError("cannot open lossy VFS stats " + path + ": " + std::strerror(error));
  }
  StatsRecord record{};
  const ssize_t got = pread(fd, &record, sizeof(record), 0);
  const int error = errno;
  close(fd);
  if (got < 0) return Status::IoError("cannot read lossy VFS stats " + path + ": " + std::strerror(error));
  if (got != static_cast<ssize_t>(sizeof(record)) || std::memcmp(record.magic, kStatsMagic, sizeof(kStatsMagic)) != 0) {
    return Status::Corruption(path + " is not a lossy VFS stats file");
  }
  return record.stats;
}

}  // namespace sagaflow::storage::lossy_vfs

#include "storage/lossy_vfs/stats_writer.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace sagaflow::storage::lossy_vfs {

Result<std::unique_ptr<StatsWriter>> StatsWriter::Open(const std::string& path) {
  StatsRecord* record = nullptr;
  if (path.empty()) {
    record = new StatsRecord{};
  } else {
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Status::IoError("cannot create lossy VFS stats " + path + ": " + std::strerror(errno));
    // ftruncate zero-fills, so every counter starts at 0.
    void* mapping = MAP_FAILED;
    if (ftruncate(fd, sizeof(StatsRecord)) == 0) {
      mapping = mmap(nullptr, sizeof(StatsRecord), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    }
    const int error = errno;
    close(fd);  // the mapping keeps the file
    if (mapping == MAP_FAILED) {
      return Status::IoError("cannot map lossy VFS stats " + path + ": " + std::strerror(error));
    }
    record = static_cast<StatsRecord*>(mapping);
  }
  std::memcpy(record->magic, kStatsMagic, sizeof(kStatsMagic));
  record->stats.pid = getpid();
  return std::unique_ptr<StatsWriter>(new StatsWriter(record, !path.empty()));
}

StatsWriter::~StatsWriter() {
  if (mapped_) {
    munmap(record_, sizeof(StatsRecord));
  } else {
    delete record_;
  }
}

void StatsWriter::Add(int64_t Stats::*field, int64_t delta) {
  if (delta != 0) std::atomic_ref<int64_t>(record_->stats.*field).fetch_add(delta, std::memory_order_relaxed);
}

Stats StatsWriter::Now() const {
  Stats now;
  for (int64_t Stats::*field : {&Stats::pid, &Stats::unsynced_bytes, &Stats::unsynced_writes, &Stats::synced_bytes,
                                &Stats::syncs, &Stats::exit_flushed_bytes}) {
    now.*field = std::atomic_ref<int64_t>(record_->stats.*field).load(std::memory_order_relaxed);
  }
  return now;
}

}  // namespace sagaflow::storage::lossy_vfs

// Overlay: the bytes written to one file and not yet synced, i.e. what a power cut would take from it.
//
// Kept as non-overlapping extents ordered by offset; a write that touches or adjoins extents merges with them, so a
// WAL's appends stay one growing extent. A later write wins over the bytes it covers. Not thread-safe: the lossy VFS
// guards each file's overlay with that file's mutex.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace sagaflow::storage::lossy_vfs {

class Overlay {
 public:
  using Extents = std::map<int64_t, std::vector<char>>;  // offset -> bytes

  void Write(int64_t offset, const void* data, int64_t size);
  // Copies the overlay's bytes within [offset, offset + size) over `buffer`, which holds the real file's bytes there.
  void ReadOver(int64_t offset, void* buffer, int64_t size) const;
  // Forgets every byte at or after `size`.
  void Truncate(int64_t size);
  void Clear();

  // One past the last byte held; 0 when empty.
  int64_t End() const;
  // Distinct bytes held (a byte written twice counts once): what a power cut now discards.
  int64_t bytes() const { return bytes_; }
  bool empty() const { return extents_.empty(); }
  const Extents& extents() const { return extents_; }

 private:
  Extents extents_;
  int64_t bytes_ = 0;
};

}  // namespace sagaflow::storage::lossy_vfs

#include "storage/lossy_vfs/overlay.h"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace sagaflow::storage::lossy_vfs {

namespace {

int64_t EndOf(const Overlay::Extents::value_type& extent) {
  return extent.first + static_cast<int64_t>(extent.second.size());
}

}  // namespace

void Overlay::Write(int64_t offset, const void* data, int64_t size) {
  if (size <= 0) return;
  // The first extent that overlaps or adjoins [offset, offset + size).
  auto it = extents_.upper_bound(offset);
  if (it != extents_.begin() && EndOf(*std::prev(it)) >= offset) --it;

  // Grow the extent that starts at or before `offset` in place (a WAL append then costs no copy of what came before),
  // or start a new one at `offset`.
  int64_t start = offset;
  std::vector<char> merged;
  if (it != extents_.end() && it->first <= offset) {
    start = it->first;
    merged = std::move(it->second);
    bytes_ -= static_cast<int64_t>(merged.size());
    it = extents_.erase(it);
  }
  int64_t end = std::max(start + static_cast<int64_t>(merged.size()), offset + size);
  // Absorb every later extent the merged range now touches; the new bytes are copied last so they win.
  while (it != extents_.end() && it->first <= end) {
    end = std::max(end, EndOf(*it));
    merged.resize(static_cast<size_t>(end - start));
    std::memcpy(merged.data() + (it->first - start), it->second.data(), it->second.size());
    bytes_ -= static_cast<int64_t>(it->second.size());
    it = extents_.erase(it);
  }
  merged.resize(static_cast<size_t>(end - start));
  std::memcpy(merged.data() + (offset - start), data, static_cast<size_t>(size));
  bytes_ += static_cast<int64_t>(merged.size());
  extents_.emplace_hint(it, start, std::move(merged));
}

void Overlay::ReadOver(int64_t offset, void* buffer, int64_t size) const {
  const int64_t end = offset + size;
  auto it = extents_.upper_bound(offset);
  if (it != extents_.begin() && EndOf(*std::prev(it)) > offset) --it;
  for (; it != extents_.end() && it->first < end; ++it) {
    const int64_t from = std::max(offset, it->first);
    const int64_t to = std::min(end, EndOf(*it));
    std::memcpy(static_cast<char*>(buffer) + (from - offset), it->second.data() + (from - it->first),
                static_cast<size_t>(to - from));
  }
}

void Overlay::Truncate(int64_t size) {
  auto it = extents_.lower_bound(size);
  if (it != extents_.begin() && EndOf(*std::prev(it)) > size) {
    auto& bytes = std::prev(it)->second;
    const int64_t kept = size - std::prev(it)->first;
    bytes_ -= static_cast<int64_t>(bytes.size()) - kept;
    bytes.resize(static_cast<size_t>(kept));
  }
  while (it != extents_.end()) {
    bytes_ -= static_cast<int64_t>(it->second.size());
    it = extents_.erase(it);
  }
}

void Overlay::Clear() {
  extents_.clear();
  bytes_ = 0;
}

int64_t Overlay::End() const {
  return extents_.empty() ? 0 : EndOf(*extents_.rbegin());
}

}  // namespace sagaflow::storage::lossy_vfs

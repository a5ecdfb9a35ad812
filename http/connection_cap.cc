#include "http/connection_cap.h"

#include <sys/resource.h>

#include <algorithm>

namespace sagaflow::http {

int ConnectionCap(int configured, uint64_t open_file_limit) {
  // A small limit still leaves half of it to HTTP, so a tiny test limit does not disable serving.
  const uint64_t budget =
      open_file_limit > 2 * kReservedDescriptors ? open_file_limit - kReservedDescriptors : open_file_limit / 2;
  return static_cast<int>(std::max<uint64_t>(1, std::min<uint64_t>(std::max(configured, 1), budget)));
}

int ConnectionCapForThisProcess(int configured) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return std::max(configured, 1);
  return ConnectionCap(configured, limit.rlim_cur);
}

}  // namespace sagaflow::http

#include "common/random.h"

namespace sagaflow {

uint64_t SeededRandom::SeedFromDevice() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

std::string NewUuid(RandomSource& random) {
  uint64_t hi = random.NextU64();
  uint64_t lo = random.NextU64();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 15; i >= 0; --i) {
    out.push_back(kHex[(hi >> (i * 4)) & 0xF]);
    if (i == 8 || i == 4) out.push_back('-');
  }
  out.push_back('-');
  for (int i = 15; i >= 0; --i) {
    out.push_back(kHex[(lo >> (i * 4)) & 0xF]);
    if (i == 12) out.push_back('-');
  }
  return out;
}

}  // namespace sagaflow

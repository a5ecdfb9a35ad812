#include "common/random.h"

#include <algorithm>

namespace sagaflow {

uint64_t SeededRandom::SeedFromDevice() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

namespace {

std::string FormatUuid(uint64_t hi, uint64_t lo) {
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

constexpr uint64_t kVariantMask = 0x3FFFFFFFFFFFFFFFULL;
constexpr uint64_t kVariant = 0x8000000000000000ULL;  // RFC 4122/9562 variant

}  // namespace

std::string NewUuid(RandomSource& random) {
  uint64_t hi = random.NextU64();
  uint64_t lo = random.NextU64();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & kVariantMask) | kVariant;
  return FormatUuid(hi, lo);
}

std::string NewTimeOrderedUuid(TimePoint now, RandomSource& random) {
  constexpr uint64_t kMaxMillis = (uint64_t{1} << 48) - 1;
  const int64_t ms = ToEpochMillis(now);
  const uint64_t stamp = ms < 0 ? 0 : std::min(static_cast<uint64_t>(ms), kMaxMillis);
  const uint64_t random_bits = random.NextU64();
  const uint64_t hi = (stamp << 16) | 0x7000ULL | (random_bits & 0x0FFFULL);  // version 7
  const uint64_t lo = (random.NextU64() & kVariantMask) | kVariant;
  return FormatUuid(hi, lo);
}

}  // namespace sagaflow

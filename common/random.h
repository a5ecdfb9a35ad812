// RandomSource: injected randomness (ids, jitter), so tests can make it deterministic.
// SeededRandom is thread-safe; seed it from std::random_device in production, from a constant in tests.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>

#include "common/clock.h"

namespace sagaflow {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual uint64_t NextU64() = 0;
  // Uniform in [0, 1).
  double NextUnit() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }
};

class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(uint64_t seed) : engine_(seed) {}
  static uint64_t SeedFromDevice();
  uint64_t NextU64() override {
    std::lock_guard lock(mu_);
    return engine_();
  }

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;
};

// A random (version 4) UUID in canonical lower-case form.
std::string NewUuid(RandomSource& random);

// A time-ordered (version 7, RFC 9562) UUID in canonical lower-case form: its first 48 bits are `now` in
// Unix milliseconds, the other 74 random. Ids made later sort after earlier ones, so rows keyed by them
// are inserted at the right edge of each B-tree, into pages that are already cached and written, instead
// of into a random leaf of a tree far larger than the cache (docs/benchmarks.md, the history run).
std::string NewTimeOrderedUuid(TimePoint now, RandomSource& random);

}  // namespace sagaflow

#include "common/random.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace sagaflow {
namespace {

// Returns the same 64-bit value every time, to pin the bits NewUuid must override.
class ConstantRandom final : public RandomSource {
 public:
  explicit ConstantRandom(uint64_t value) : value_(value) {}
  uint64_t NextU64() override { return value_; }

 private:
  uint64_t value_;
};

bool IsCanonicalV4(const std::string& uuid) {
  if (uuid.size() != 36) return false;
  for (size_t i = 0; i < uuid.size(); ++i) {
    const char c = uuid[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return uuid[14] == '4' && (uuid[19] == '8' || uuid[19] == '9' || uuid[19] == 'a' || uuid[19] == 'b');
}

TEST(NewUuid, IsCanonicalLowerCaseVersion4) {
  SeededRandom random(1);
  for (int i = 0; i < 1000; ++i) {
    const std::string uuid = NewUuid(random);
    ASSERT_TRUE(IsCanonicalV4(uuid)) << uuid;
  }
}

TEST(NewUuid, SetsVersionAndVariantWhateverTheRandomBits) {
  ConstantRandom zeros(0);
  EXPECT_EQ(NewUuid(zeros), "00000000-0000-4000-8000-000000000000");
  ConstantRandom ones(~uint64_t{0});
  EXPECT_EQ(NewUuid(ones), "ffffffff-ffff-4fff-bfff-ffffffffffff");
  ConstantRandom pattern(0x0123456789abcdefULL);
  EXPECT_EQ(NewUuid(pattern), "01234567-89ab-4def-8123-456789abcdef");
}

TEST(NewUuid, IsUnique) {
  SeededRandom random(SeededRandom::SeedFromDevice());
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(NewUuid(random));
  EXPECT_EQ(seen.size(), 10000U);
}

TEST(NewTimeOrderedUuid, CarriesTheTimeInItsFirst48BitsThenVersion7AndTheVariant) {
  ConstantRandom zeros(0);
  // 2026-11-25T00:00:00.000Z = 1795564800000 ms = 0x01a210008800
  EXPECT_EQ(NewTimeOrderedUuid(FromEpochMillis(1795564800000), zeros), "01a21000-8800-7000-8000-000000000000");
  ConstantRandom ones(~uint64_t{0});
  EXPECT_EQ(NewTimeOrderedUuid(FromEpochMillis(1795564800000), ones), "01a21000-8800-7fff-bfff-ffffffffffff");
  EXPECT_EQ(NewTimeOrderedUuid(FromEpochMillis(-5), zeros), "00000000-0000-7000-8000-000000000000");
}

TEST(NewTimeOrderedUuid, LaterIdsSortAfterEarlierOnesAndAllAreUnique) {
  SeededRandom random(7);
  ManualClock clock;
  std::set<std::string> seen;
  std::string previous;
  for (int i = 0; i < 5000; ++i) {
    clock.Advance(Millis(1));
    const std::string id = NewTimeOrderedUuid(clock.Now(), random);
    ASSERT_EQ(id.size(), 36U);
    ASSERT_EQ(id[14], '7') << id;
    ASSERT_GT(id, previous);
    previous = id;
    seen.insert(id);
    seen.insert(NewTimeOrderedUuid(clock.Now(), random));  // the same millisecond: unique all the same
  }
  EXPECT_EQ(seen.size(), 10000U);
}

TEST(SeededRandom, SameSeedSameSequence) {
  SeededRandom a(99);
  SeededRandom b(99);
  SeededRandom c(100);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.NextU64();
    EXPECT_EQ(x, b.NextU64());
    differs = differs || x != c.NextU64();
  }
  EXPECT_TRUE(differs);
}

TEST(RandomSource, NextUnitIsInTheHalfOpenUnitInterval) {
  ConstantRandom max(~uint64_t{0});
  EXPECT_LT(max.NextUnit(), 1.0);
  ConstantRandom zero(0);
  EXPECT_EQ(zero.NextUnit(), 0.0);
  SeededRandom random(5);
  for (int i = 0; i < 10000; ++i) {
    const double unit = random.NextUnit();
    ASSERT_GE(unit, 0.0);
    ASSERT_LT(unit, 1.0);
  }
}

}  // namespace
}  // namespace sagaflow

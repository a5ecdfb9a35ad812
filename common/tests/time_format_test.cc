#include "common/time_format.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace sagaflow {
namespace {

TEST(FormatIso8601, WritesUtcWithMilliseconds) {
  EXPECT_EQ(FormatIso8601(FromEpochMillis(1705314600000)), "2024-01-15T10:30:00.000Z");
  EXPECT_EQ(FormatIso8601(FromEpochMillis(1705314600123)), "2024-01-15T10:30:00.123Z");
  EXPECT_EQ(FormatIso8601(FromEpochMillis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(FromEpochMillis(951782400000)), "2000-02-29T00:00:00.000Z");
}

TEST(FormatIso8601, HandlesMillisecondsBeforeTheEpoch) {
  EXPECT_EQ(FormatIso8601(FromEpochMillis(-1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIso8601(FromEpochMillis(-1000)), "1969-12-31T23:59:59.000Z");
}

TEST(ParseIso8601, ReadsWhatFormatWrites) {
  auto t = ParseIso8601("2024-01-15T10:30:00.123Z");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(ToEpochMillis(*t), 1705314600123);
}

TEST(ParseIso8601, RoundTripsRandomInstants) {
  std::mt19937_64 random(3);
  // 1970 .. 2200, in milliseconds.
  std::uniform_int_distribution<int64_t> instant(0, 7'258'118'400'000);
  for (int i = 0; i < 5000; ++i) {
    const TimePoint t = FromEpochMillis(instant(random));
    const std::string text = FormatIso8601(t);
    auto parsed = ParseIso8601(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
    ASSERT_EQ(ToEpochMillis(*parsed), ToEpochMillis(t)) << text;
  }
}

TEST(ParseIso8601, RejectsOtherShapes) {
  for (const char* text :
       {"", "2024-01-15", "2024-01-15T10:30:00Z", "2024-01-15T10:30:00.000", "2024-01-15T10:30:00.000+00:00",
        "2024-01-15 10:30:00.000Z", "2024/01/15T10:30:00.000Z", "2024-01-15T10:30:00.0000Z", "2024-1-15T10:30:00.000Z",
        "2024-01-15t10:30:00.000z", "2024-0a-15T10:30:00.000Z", "garbage garbage garbage!"}) {
    auto parsed = ParseIso8601(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_TRUE(parsed.status().IsInvalidArgument());
  }
}

// Regression: from_chars accepts a sign and timegm normalizes out-of-range fields, so these used to be
// accepted as some other instant ("2024-13-01" as 2025-01-01) although FormatIso8601 never writes them.
TEST(ParseIso8601, RejectsSignsAndOutOfRangeFields) {
  for (const char* text :
       {"2024-13-01T00:00:00.000Z", "2024-00-10T00:00:00.000Z", "2024-01-32T00:00:00.000Z", "2023-02-29T00:00:00.000Z",
        "2024-04-31T00:00:00.000Z", "2024-01-00T00:00:00.000Z", "2024-01-15T24:00:00.000Z", "2024-01-15T10:60:00.000Z",
        "2024-01-15T10:30:60.000Z", "2024-01--5T10:30:00.000Z", "2024-01-15T-1:30:00.000Z", "2024-01-15T10:30:00.-10Z",
        "-024-01-15T10:30:00.000Z"}) {
    auto parsed = ParseIso8601(text);
    ASSERT_FALSE(parsed.ok()) << text << " parsed as " << FormatIso8601(*parsed);
    EXPECT_TRUE(parsed.status().IsInvalidArgument());
  }
  EXPECT_TRUE(ParseIso8601("2024-02-29T23:59:59.999Z").ok());  // a leap day is fine
}

}  // namespace
}  // namespace sagaflow

#include "common/money.h"

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace sagaflow {
namespace {

Cents ParseOk(std::string_view text) {
  auto cents = ParseMoney(text);
  EXPECT_TRUE(cents.ok()) << "'" << text << "': " << cents.status().ToString();
  return cents.ok() ? *cents : -1;
}

TEST(ParseMoney, ReadsTwoDecimalsExactly) {
  EXPECT_EQ(ParseOk("29.99"), 2999);
  EXPECT_EQ(ParseOk("0.01"), 1);
  EXPECT_EQ(ParseOk("1.10"), 110);
}

TEST(ParseMoney, TwiceTwentyNineNinetyNineIsFiftyNineNinetyEight) {
  const Cents price = ParseOk("29.99");
  EXPECT_EQ(price * 2, 5998);
  EXPECT_EQ(FormatMoney(price * 2), "59.98");
}

TEST(ParseMoney, AcceptsEveryJsonNumberShapeThatIsWholeCents) {
  EXPECT_EQ(ParseOk("0"), 0);
  EXPECT_EQ(ParseOk("0.5"), 50);
  EXPECT_EQ(ParseOk("30"), 3000);
  EXPECT_EQ(ParseOk("2.999e1"), 2999);
  EXPECT_EQ(ParseOk("29.990"), 2999);
  EXPECT_EQ(ParseOk("29.99000000000000000000"), 2999);
  EXPECT_EQ(ParseOk("1e2"), 10000);
  EXPECT_EQ(ParseOk("1E2"), 10000);
  EXPECT_EQ(ParseOk("1e+2"), 10000);
  EXPECT_EQ(ParseOk("2999e-2"), 2999);
  EXPECT_EQ(ParseOk("0.001e3"), 100);
  EXPECT_EQ(ParseOk("0.00000000000000000000001e25"), 10000);
  EXPECT_EQ(ParseOk("0e999999999"), 0);
}

TEST(ParseMoney, NegativeZeroIsZero) {
  EXPECT_EQ(ParseOk("-0"), 0);
  EXPECT_EQ(ParseOk("-0.00"), 0);
}

TEST(ParseMoney, RejectsNegativeAmounts) {
  for (const char* text : {"-1", "-0.01", "-29.99", "-1e2"}) {
    auto cents = ParseMoney(text);
    ASSERT_FALSE(cents.ok()) << text;
    EXPECT_TRUE(cents.status().IsInvalidArgument()) << text;
    EXPECT_NE(cents.status().message().find("negative"), std::string::npos) << cents.status().message();
  }
}

TEST(ParseMoney, RejectsMoreThanTwoSignificantDecimals) {
  for (const char* text : {"29.999", "0.001", "1e-3", "2.9999e1", "1e-999999999", "0.0000000000000000000001"}) {
    auto cents = ParseMoney(text);
    ASSERT_FALSE(cents.ok()) << text;
    EXPECT_TRUE(cents.status().IsInvalidArgument()) << text;
    EXPECT_NE(cents.status().message().find("decimals"), std::string::npos) << cents.status().message();
  }
}

TEST(ParseMoney, RejectsTextThatIsNotAJsonNumber) {
  for (const char* text :
       {"",       "abc",  "29.", ".5",       "01",    "00",    "1e",  "1e+", "+1",    "29.99x",   " 29.99",
        "29.99 ", "0x10", "NaN", "Infinity", "1,000", "1.2.3", "--1", "-",   "1e2.5", "\"29.99\""}) {
    auto cents = ParseMoney(text);
    ASSERT_FALSE(cents.ok()) << "'" << text << "' parsed as " << *cents;
    EXPECT_TRUE(cents.status().IsInvalidArgument()) << text;
  }
}

TEST(ParseMoney, AcceptsUpToTheLimitAndRejectsAboveIt) {
  EXPECT_EQ(kMaxParsableCents, 1'000'000'000'000'000);  // ten trillion (10^13) in whole units
  EXPECT_EQ(ParseOk("10000000000000"), kMaxParsableCents);
  EXPECT_EQ(ParseOk("1e13"), kMaxParsableCents);
  EXPECT_EQ(ParseOk("9999999999999.99"), kMaxParsableCents - 1);
  for (const char* text : {"10000000000000.01", "1e14", "1e300", "1e99999999999", "99999999999999999999",
                           "123456789012345678901234567890"}) {
    auto cents = ParseMoney(text);
    ASSERT_FALSE(cents.ok()) << text << " parsed as " << *cents;
    EXPECT_NE(cents.status().message().find("too large"), std::string::npos) << cents.status().message();
  }
}

TEST(FormatMoney, AlwaysWritesTwoDecimals) {
  EXPECT_EQ(FormatMoney(5998), "59.98");
  EXPECT_EQ(FormatMoney(5), "0.05");
  EXPECT_EQ(FormatMoney(50), "0.50");
  EXPECT_EQ(FormatMoney(0), "0.00");
  EXPECT_EQ(FormatMoney(100), "1.00");
  EXPECT_EQ(FormatMoney(kMaxParsableCents), "10000000000000.00");
}

TEST(FormatMoney, WritesNegativeAmountsWithALeadingMinus) {
  EXPECT_EQ(FormatMoney(-120), "-1.20");
  EXPECT_EQ(FormatMoney(-5), "-0.05");
  EXPECT_EQ(FormatMoney(std::numeric_limits<Cents>::min()), "-92233720368547758.08");
  EXPECT_EQ(FormatMoney(std::numeric_limits<Cents>::max()), "92233720368547758.07");
}

TEST(FormatMoney, RoundTripsThroughParseMoney) {
  std::mt19937_64 random(42);
  std::uniform_int_distribution<Cents> any(0, kMaxParsableCents);
  std::uniform_int_distribution<Cents> small(0, 100'000);
  for (int i = 0; i < 5000; ++i) {
    const Cents cents = i % 2 == 0 ? any(random) : small(random);
    const std::string text = FormatMoney(cents);
    auto parsed = ParseMoney(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
    ASSERT_EQ(*parsed, cents) << text;
  }
}

}  // namespace
}  // namespace sagaflow

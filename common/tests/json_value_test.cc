// JsonValue: numbers keep their text, strings are decoded and written back canonically, field order is kept, and
// anything but exactly one valid JSON value is refused.
#include "common/json_value.h"

#include <string>

#include <gtest/gtest.h>

namespace sagaflow {
namespace {

std::string RoundTrip(const std::string& text) {
  auto parsed = JsonValue::Parse(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
  return parsed.ok() ? parsed->ToJson() : "<error>";
}

TEST(JsonValue, NumbersKeepTheirExactText) {
  EXPECT_EQ(RoundTrip(R"({"a":5.00,"b":1e3,"c":-0.10,"d":100000000000.00,"e":12345678901234567890})"),
            R"({"a":5.00,"b":1e3,"c":-0.10,"d":100000000000.00,"e":12345678901234567890})");
  EXPECT_EQ(RoundTrip("29.990"), "29.990");
  EXPECT_EQ(RoundTrip(" [ 1.50 , 2 ] "), "[1.50,2]");
}

TEST(JsonValue, StringsAreDecodedAndWrittenBackCanonically) {
  auto parsed = JsonValue::Parse(R"({"name":"Zo\u00eb \"Q\" \\ \/x"})");
  ASSERT_TRUE(parsed.ok());
  ASSERT_NE(parsed->Find("name"), nullptr);
  EXPECT_EQ(parsed->Find("name")->text(), "Zo\xc3\xab \"Q\" \\ /x");
  EXPECT_EQ(parsed->ToJson(), "{\"name\":\"Zo\xc3\xab \\\"Q\\\" \\\\ /x\"}");
}

TEST(JsonValue, ObjectsKeepTheirFieldOrderAndNestingAndKinds) {
  const std::string text = R"({"z":{"y":[true,false,null,{}],"x":[]},"a":"b"})";
  auto parsed = JsonValue::Parse(text);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->ToJson(), text);
  ASSERT_EQ(parsed->fields().size(), 2u);
  EXPECT_EQ(parsed->fields()[0].first, "z");
  const JsonValue& y = *parsed->Find("z")->Find("y");
  ASSERT_EQ(y.items().size(), 4u);
  EXPECT_EQ(y.items()[0].kind(), JsonValue::Kind::kBool);
  EXPECT_TRUE(y.items()[0].boolean());
  EXPECT_TRUE(y.items()[2].is_null());
  EXPECT_TRUE(y.items()[3].is_object());
  EXPECT_EQ(parsed->Find("missing"), nullptr);
  EXPECT_EQ(parsed->Find("a")->Find("anything"), nullptr) << "a string has no fields";
}

TEST(JsonValue, IntegerIsOnlyAnIntegerWrittenAsOne) {
  auto parsed = JsonValue::Parse(R"([12, -3, 12.0, 1e3, 12345678901234567890, "12", true])");
  ASSERT_TRUE(parsed.ok());
  const auto& items = parsed->items();
  EXPECT_EQ(items[0].Integer(), 12);
  EXPECT_EQ(items[1].Integer(), -3);
  for (size_t i = 2; i < items.size(); ++i) EXPECT_FALSE(items[i].Integer().has_value()) << items[i].ToJson();
}

TEST(JsonValue, ScalarDocumentsParse) {
  EXPECT_EQ(RoundTrip("\"x\""), "\"x\"");
  EXPECT_EQ(RoundTrip("true"), "true");
  EXPECT_EQ(RoundTrip("null"), "null");
}

TEST(JsonValue, AnythingButOneValidValueIsRefused) {
  for (const char* bad : {"", "{", R"({"a":1} x)", R"({"a":1}{"b":2})", "[1,]", "01", "'a'", R"({"a":"\x"})", "nul"}) {
    EXPECT_FALSE(JsonValue::Parse(bad).ok()) << bad;
  }
}

TEST(JsonValue, BuiltValuesWriteLikeParsedOnes) {
  const JsonValue built = JsonValue::Object({{"n", JsonValue::Number("1.10")},
                                             {"s", JsonValue::String("a\"b")},
                                             {"l", JsonValue::Array({JsonValue::Bool(false), JsonValue()})}});
  EXPECT_EQ(built.ToJson(), R"({"n":1.10,"s":"a\"b","l":[false,null]})");
  EXPECT_EQ(JsonValue::Parse(built.ToJson()).value(), built);
}

}  // namespace
}  // namespace sagaflow

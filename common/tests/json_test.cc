#include "common/json.h"

#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "common/money.h"

namespace sagaflow {
namespace {

simdjson::dom::object ParseObject(simdjson::dom::parser& parser, std::string_view text) {
  auto root = ParseJson(parser, text);
  EXPECT_TRUE(root.ok()) << root.status().ToString();
  simdjson::dom::object object;
  if (root.ok()) {
    EXPECT_FALSE(root->get_object().get(object));
  }
  return object;
}

TEST(ParseJson, AcceptsOneValue) {
  simdjson::dom::parser parser;
  EXPECT_TRUE(ParseJson(parser, R"({"a":1})").ok());
  EXPECT_TRUE(ParseJson(parser, R"(  [1, 2]  )").ok());
  EXPECT_TRUE(ParseJson(parser, "\"caf\xC3\xA9\"").ok());
}

TEST(ParseJson, RejectsTrailingGarbage) {
  simdjson::dom::parser parser;
  for (const char* text : {R"({"a":1} x)", R"({"a":1}{"b":2})", R"({"a":1}])", "[1] 2", "{}}"}) {
    auto root = ParseJson(parser, text);
    ASSERT_FALSE(root.ok()) << text;
    EXPECT_TRUE(root.status().IsInvalidArgument());
    EXPECT_NE(root.status().message().find("malformed JSON"), std::string::npos);
  }
}

TEST(ParseJson, RejectsMalformedText) {
  simdjson::dom::parser parser;
  for (const char* text : {"", "{", R"({"a":})", R"({'a':1})", "not json", R"({"a":1,})", "[1,]"}) {
    auto root = ParseJson(parser, text);
    ASSERT_FALSE(root.ok()) << text;
    EXPECT_TRUE(root.status().IsInvalidArgument());
  }
}

TEST(ParseJson, RejectsInvalidUtf8) {
  simdjson::dom::parser parser;
  for (const char* text : {"{\"a\":\"\xFF\"}", "{\"a\":\"\xC0\x80\"}", "{\"a\":\"\xED\xA0\x80\"}", "[\"\xE2\x82\"]"}) {
    auto root = ParseJson(parser, text);
    ASSERT_FALSE(root.ok()) << text;
    EXPECT_TRUE(root.status().IsInvalidArgument());
    EXPECT_NE(root.status().message().find("UTF-8"), std::string::npos) << root.status().message();
  }
}

TEST(ParseJson, DoesNotNeedPaddingFromTheCaller) {
  simdjson::dom::parser parser;
  const std::string text = R"({"orderId":"o-1"})";  // a plain string, no simdjson padding
  auto root = ParseJson(parser, std::string_view(text.data(), text.size()));
  ASSERT_TRUE(root.ok()) << root.status().ToString();
}

TEST(JsonGetters, ReadTypedFields) {
  simdjson::dom::parser parser;
  auto object = ParseObject(parser, R"({"s":"text","i":-42,"b":true,"a":[1,2],"o":{"x":1}})");
  auto s = GetString(object, "s");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, "text");
  auto i = GetInt(object, "i");
  ASSERT_TRUE(i.ok());
  EXPECT_EQ(*i, -42);
  auto b = GetBool(object, "b");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(*b);
  auto a = GetArray(object, "a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->size(), 2U);
  auto o = GetObject(object, "o");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(GetInt(*o, "x").value(), 1);
}

TEST(JsonGetters, NameTheMissingField) {
  simdjson::dom::parser parser;
  auto object = ParseObject(parser, R"({"a":1})");
  auto s = GetString(object, "orderId");
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.status().IsInvalidArgument());
  EXPECT_EQ(s.status().message(), "orderId is missing");
  EXPECT_EQ(GetInt(object, "n").status().message(), "n is missing");
  EXPECT_EQ(GetBool(object, "b").status().message(), "b is missing");
  EXPECT_EQ(GetArray(object, "items").status().message(), "items is missing");
  EXPECT_EQ(GetObject(object, "o").status().message(), "o is missing");
  EXPECT_EQ(GetMoney(object, "amount").status().message(), "amount is missing");
}

TEST(JsonGetters, NameTheWrongType) {
  simdjson::dom::parser parser;
  auto object = ParseObject(parser, R"({"n":"1","s":1,"f":1.5,"b":"true","a":{},"o":[]})");
  EXPECT_EQ(GetString(object, "s").status().message(), "s must be a string");
  EXPECT_EQ(GetInt(object, "n").status().message(), "n must be an integer");
  EXPECT_EQ(GetInt(object, "f").status().message(), "f must be an integer");
  EXPECT_EQ(GetBool(object, "b").status().message(), "b must be a boolean");
  EXPECT_EQ(GetArray(object, "a").status().message(), "a must be an array");
  EXPECT_EQ(GetObject(object, "o").status().message(), "o must be an object");
  EXPECT_EQ(GetMoney(object, "n").status().message(), "n must be a number");
}

TEST(JsonGetters, GetStringOrFallsBackOnMissingOrWrongType) {
  simdjson::dom::parser parser;
  auto object = ParseObject(parser, R"({"reason":"out of stock","n":1})");
  EXPECT_EQ(GetStringOr(object, "reason", "-"), "out of stock");
  EXPECT_EQ(GetStringOr(object, "missing", "-"), "-");
  EXPECT_EQ(GetStringOr(object, "n", "-"), "-");
}

TEST(CentsFromDouble, AcceptsValuesThatAreWholeCents) {
  EXPECT_EQ(CentsFromDouble(29.99).value(), 2999);
  EXPECT_EQ(CentsFromDouble(59.98).value(), 5998);
  EXPECT_EQ(CentsFromDouble(0.0).value(), 0);
  EXPECT_EQ(CentsFromDouble(-0.0).value(), 0);
  EXPECT_EQ(CentsFromDouble(0.01).value(), 1);
  EXPECT_EQ(CentsFromDouble(0.1).value(), 10);
  EXPECT_EQ(CentsFromDouble(30).value(), 3000);
  EXPECT_EQ(CentsFromDouble(1e13).value(), 1'000'000'000'000'000);
}

TEST(CentsFromDouble, EveryFormattedAmountConvertsBack) {
  // What another service wrote with FormatMoney and simdjson parsed back must convert exactly.
  simdjson::dom::parser parser;
  for (Cents cents = 0; cents < 200'000; cents += 7) {
    const std::string text = "{\"amount\":" + FormatMoney(cents) + "}";
    auto object = ParseObject(parser, text);
    auto parsed = GetMoney(object, "amount");
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
    ASSERT_EQ(*parsed, cents) << text;
  }
}

TEST(CentsFromDouble, RejectsFractionsOfACent) {
  EXPECT_TRUE(CentsFromDouble(29.999).status().IsInvalidArgument());
  EXPECT_TRUE(CentsFromDouble(0.001).status().IsInvalidArgument());
  EXPECT_TRUE(CentsFromDouble(0.1 + 0.2).status().IsInvalidArgument());  // 0.30000000000000004
  EXPECT_EQ(CentsFromDouble(0.005).status().message(), "has more than 2 decimals");
}

TEST(CentsFromDouble, RejectsNegativeHugeAndNonFinite) {
  EXPECT_EQ(CentsFromDouble(-0.01).status().message(), "is out of range");
  EXPECT_EQ(CentsFromDouble(1e14).status().message(), "is out of range");
  EXPECT_FALSE(CentsFromDouble(std::numeric_limits<double>::infinity()).ok());
  EXPECT_FALSE(CentsFromDouble(std::nan("")).ok());
}

TEST(GetMoney, ReadsAmountsAndNamesTheFieldOnError) {
  simdjson::dom::parser parser;
  auto object = ParseObject(parser, R"({"a":29.99,"b":30,"c":29.999,"d":-1})");
  EXPECT_EQ(GetMoney(object, "a").value(), 2999);
  EXPECT_EQ(GetMoney(object, "b").value(), 3000);
  EXPECT_EQ(GetMoney(object, "c").status().message(), "c has more than 2 decimals");
  EXPECT_EQ(GetMoney(object, "d").status().message(), "d is out of range");
}

}  // namespace
}  // namespace sagaflow

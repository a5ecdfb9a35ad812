// Unit tests of ParseOrderRequest: every rule for the body of POST /api/orders on both sides of its boundary,
// totals in integer cents, and the canonical form that Idempotency-Key compares.
#include "services/order/order_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace sagaflow::order {
namespace {

using ::testing::HasSubstr;

// Passing kOmit for a field leaves it out of the JSON entirely.
constexpr std::string_view kOmit = "";

// One item object; each argument is the raw JSON text of that field's value.
std::string Item(std::string_view product_id = R"("P001")", std::string_view quantity = "2",
                 std::string_view price = "29.99") {
  std::string out = "{";
  const auto add = [&](std::string_view key, std::string_view value) {
    if (value == kOmit) return;
    if (out.size() > 1) out += ", ";
    out += "\"" + std::string(key) + "\": " + std::string(value);
  };
  add("productId", product_id);
  add("quantity", quantity);
  add("price", price);
  return out + "}";
}

std::string Items(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i > 0 ? ", " : "") + items[i];
  return out + "]";
}

std::string RepeatedItems(size_t count) {
  return Items(std::vector<std::string>(count, Item()));
}

// A whole body; each argument is raw JSON text, kOmit leaves the field out.
std::string Body(std::string_view customer_id, std::string_view items) {
  std::string out = "{";
  if (customer_id != kOmit) out += "\"customerId\": " + std::string(customer_id);
  if (items != kOmit) {
    if (out.size() > 1) out += ", ";
    out += "\"items\": " + std::string(items);
  }
  return out + "}";
}

std::string Body(std::string_view customer_id = R"("C123")") {
  return Body(customer_id, Items({Item()}));
}

std::string BodyWithItems(std::string_view items) {
  return Body(R"("C123")", items);
}
std::string BodyWithItem(const std::string& item) {
  return BodyWithItems(Items({item}));
}

std::string Quoted(const std::string& text) {
  return "\"" + text + "\"";
}

std::string Repeat(std::string_view unit, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += unit;
  return out;
}

// The error message for a rejected body, or a marker if it was accepted.
std::string ErrorOf(std::string_view body) {
  auto parsed = ParseOrderRequest(body);
  if (parsed.ok()) return "<accepted>";
  EXPECT_TRUE(parsed.status().IsInvalidArgument()) << parsed.status().ToString();
  return parsed.status().message();
}

OrderRequest MustParse(std::string_view body) {
  auto parsed = ParseOrderRequest(body);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString() << "\nbody: " << body;
  return parsed.ok() ? *parsed : OrderRequest{};
}

TEST(ParseOrderRequestTest, AcceptsTheSeedsExampleBody) {
  auto request =
      MustParse(R"({"customerId": "C123", "items": [{"productId": "P001", "quantity": 2, "price": 29.99}]})");
  EXPECT_EQ(request.customer_id, "C123");
  ASSERT_EQ(request.items.size(), 1u);
  EXPECT_EQ(request.items[0].product_id, "P001");
  EXPECT_EQ(request.items[0].quantity, 2);
  EXPECT_EQ(request.items[0].price_cents, 2999);
}

// --- customerId -----------------------------------------------------------------------------------

TEST(ParseOrderRequestTest, RejectsMissingCustomerId) {
  EXPECT_THAT(ErrorOf(Body(kOmit)), HasSubstr("customerId is missing"));
}

TEST(ParseOrderRequestTest, RejectsCustomerIdThatIsNotAString) {
  EXPECT_THAT(ErrorOf(Body("123")), HasSubstr("customerId must be a string"));
  EXPECT_THAT(ErrorOf(Body("null")), HasSubstr("customerId must be a string"));
  EXPECT_THAT(ErrorOf(Body(R"(["C1"])")), HasSubstr("customerId must be a string"));
}

TEST(ParseOrderRequestTest, RejectsEmptyCustomerId) {
  EXPECT_THAT(ErrorOf(Body(R"("")")), HasSubstr("customerId must not be empty"));
}

TEST(ParseOrderRequestTest, AcceptsCustomerIdOf64CharactersAndRejects65) {
  EXPECT_EQ(MustParse(Body(Quoted(std::string(64, 'c')))).customer_id, std::string(64, 'c'));
  EXPECT_THAT(ErrorOf(Body(Quoted(std::string(65, 'c')))), HasSubstr("customerId must be at most 64 characters"));
}

TEST(ParseOrderRequestTest, CountsCustomerIdLengthInCharactersNotBytes) {
  // 2-, 3- and 4-byte UTF-8 characters: 64 of them are allowed although they are 128-256 bytes.
  for (std::string_view character : {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
    SCOPED_TRACE(character);
    EXPECT_EQ(MustParse(Body(Quoted(Repeat(character, 64)))).customer_id, Repeat(character, 64));
    EXPECT_THAT(ErrorOf(Body(Quoted(Repeat(character, 65)))), HasSubstr("customerId must be at most 64"));
  }
}

// --- items ----------------------------------------------------------------------------------------

TEST(ParseOrderRequestTest, RejectsMissingItems) {
  EXPECT_THAT(ErrorOf(Body(R"("C123")", kOmit)), HasSubstr("items is missing"));
}

TEST(ParseOrderRequestTest, RejectsItemsThatAreNotAnArray) {
  EXPECT_THAT(ErrorOf(BodyWithItems(Item())), HasSubstr("items must be an array"));
  EXPECT_THAT(ErrorOf(BodyWithItems(R"("P001")")), HasSubstr("items must be an array"));
  EXPECT_THAT(ErrorOf(BodyWithItems("null")), HasSubstr("items must be an array"));
}

TEST(ParseOrderRequestTest, RejectsZeroItemsAndAcceptsOne) {
  EXPECT_THAT(ErrorOf(BodyWithItems("[]")), HasSubstr("items must have from 1 to 100 entries"));
  EXPECT_EQ(MustParse(BodyWithItems(RepeatedItems(1))).items.size(), 1u);
}

TEST(ParseOrderRequestTest, AcceptsOneHundredItemsAndRejects101) {
  EXPECT_EQ(MustParse(BodyWithItems(RepeatedItems(100))).items.size(), 100u);
  EXPECT_THAT(ErrorOf(BodyWithItems(RepeatedItems(101))), HasSubstr("items must have from 1 to 100 entries"));
}

TEST(ParseOrderRequestTest, RejectsAnItemThatIsNotAnObjectNamingItsIndex) {
  EXPECT_THAT(ErrorOf(BodyWithItems(Items({Item(), "5"}))), HasSubstr("items[1] must be an object"));
  EXPECT_THAT(ErrorOf(BodyWithItems(Items({R"("P001")"}))), HasSubstr("items[0] must be an object"));
  EXPECT_THAT(ErrorOf(BodyWithItems(Items({"[]"}))), HasSubstr("items[0] must be an object"));
}

// --- productId ------------------------------------------------------------------------------------

TEST(ParseOrderRequestTest, RejectsMissingEmptyOrNonStringProductId) {
  EXPECT_THAT(ErrorOf(BodyWithItem(Item(kOmit))), HasSubstr("items[0].productId is missing"));
  EXPECT_THAT(ErrorOf(BodyWithItem(Item(R"("")"))), HasSubstr("items[0].productId must not be empty"));
  EXPECT_THAT(ErrorOf(BodyWithItem(Item("1"))), HasSubstr("items[0].productId must be a string"));
  EXPECT_THAT(ErrorOf(BodyWithItem(Item("null"))), HasSubstr("items[0].productId must be a string"));
}

TEST(ParseOrderRequestTest, AcceptsProductIdOf64CharactersAndRejects65) {
  EXPECT_EQ(MustParse(BodyWithItem(Item(Quoted(std::string(64, 'p'))))).items[0].product_id, std::string(64, 'p'));
  EXPECT_THAT(ErrorOf(BodyWithItem(Item(Quoted(std::string(65, 'p'))))),
              HasSubstr("items[0].productId must be at most 64 characters"));
}

// --- quantity -------------------------------------------------------------------------------------

TEST(ParseOrderRequestTest, RejectsMissingQuantity) {
  EXPECT_THAT(ErrorOf(BodyWithItem(Item(R"("P001")", kOmit))), HasSubstr("items[0].quantity is missing"));
}

TEST(ParseOrderRequestTest, AcceptsQuantityFromOneToOneMillion) {
  EXPECT_EQ(MustParse(BodyWithItem(Item(R"("P001")", "1"))).items[0].quantity, 1);
  EXPECT_EQ(MustParse(BodyWithItem(Item(R"("P001")", "1000000"))).items[0].quantity, 1'000'000);
}

TEST(ParseOrderRequestTest, RejectsQuantityOutOfRangeOrNotAnIntegerLiteral) {
  // 2.0 and 2e0 are integers in value but not integer literals: the contract asks for an integer.
  for (std::string_view quantity :
       {"0", "-1", "1000001", "2.5", R"("2")", "2.0", "2e0", "true", "null", "18446744073709551615"}) {
    SCOPED_TRACE(quantity);
    EXPECT_THAT(ErrorOf(BodyWithItem(Item(R"("P001")", quantity))),
                HasSubstr("items[0].quantity must be an integer from 1 to 1000000"));
  }
}

TEST(ParseOrderRequestTest, RejectsQuantityBeyondAnyMachineInteger) {
  // simdjson refuses integers above 2^64 while parsing, before any field is looked at.
  EXPECT_NE(ErrorOf(BodyWithItem(Item(R"("P001")", "99999999999999999999"))), "<accepted>");
}

// --- price ----------------------------------------------------------------------------------------

Cents PriceCentsOf(std::string_view price) {
  return MustParse(BodyWithItem(Item(R"("P001")", "1", price))).items[0].price_cents;
}
std::string PriceErrorOf(std::string_view price) {
  return ErrorOf(BodyWithItem(Item(R"("P001")", "1", price)));
}

TEST(ParseOrderRequestTest, RejectsMissingPrice) {
  EXPECT_THAT(ErrorOf(BodyWithItem(Item(R"("P001")", "1", kOmit))), HasSubstr("items[0].price is missing"));
}

TEST(ParseOrderRequestTest, RejectsPriceThatIsNotANumber) {
  EXPECT_THAT(PriceErrorOf(R"("29.99")"), HasSubstr("items[0].price must be a number"));
  EXPECT_THAT(PriceErrorOf("null"), HasSubstr("items[0].price must be a number"));
  EXPECT_THAT(PriceErrorOf("false"), HasSubstr("items[0].price must be a number"));
}

TEST(ParseOrderRequestTest, AcceptsPriceFromZeroToOneMillion) {
  EXPECT_EQ(PriceCentsOf("0"), 0);
  EXPECT_EQ(PriceCentsOf("0.00"), 0);
  EXPECT_EQ(PriceCentsOf("0.01"), 1);
  EXPECT_EQ(PriceCentsOf("1000000"), 100'000'000);
  EXPECT_EQ(PriceCentsOf("1000000.00"), 100'000'000);
}

TEST(ParseOrderRequestTest, RejectsNegativePriceAndPriceAboveOneMillion) {
  EXPECT_THAT(PriceErrorOf("-0.01"), HasSubstr("items[0].price must be a number from 0 to 1000000"));
  EXPECT_THAT(PriceErrorOf("-1"), HasSubstr("items[0].price must be a number from 0 to 1000000"));
  EXPECT_THAT(PriceErrorOf("1000000.01"), HasSubstr("items[0].price must be a number from 0 to 1000000"));
  EXPECT_THAT(PriceErrorOf("1e7"), HasSubstr("items[0].price must be a number from 0 to 1000000"));
  EXPECT_THAT(PriceErrorOf("1e300"), HasSubstr("items[0].price"));
}

TEST(ParseOrderRequestTest, RejectsPriceWithMoreThanTwoDecimals) {
  EXPECT_THAT(PriceErrorOf("29.999"), HasSubstr("items[0].price has more than 2 decimals"));
  EXPECT_THAT(PriceErrorOf("0.001"), HasSubstr("items[0].price has more than 2 decimals"));
  EXPECT_THAT(PriceErrorOf("2999e-3"), HasSubstr("items[0].price has more than 2 decimals"));
}

TEST(ParseOrderRequestTest, AcceptsPriceWhoseExtraDecimalsAreZeroOrWrittenWithAnExponent) {
  EXPECT_EQ(PriceCentsOf("29.990"), 2999);
  EXPECT_EQ(PriceCentsOf("29.99000000"), 2999);
  EXPECT_EQ(PriceCentsOf("2.999e1"), 2999);
  EXPECT_EQ(PriceCentsOf("2999E-2"), 2999);
  EXPECT_EQ(PriceCentsOf("3e1"), 3000);
  EXPECT_EQ(PriceCentsOf("30"), 3000);
}

TEST(ParseOrderRequestTest, ErrorNamesTheIndexOfTheOffendingItem) {
  const std::string body = BodyWithItems(Items({Item(), Item(R"("P002")", "1", "29.999"), Item()}));
  EXPECT_THAT(ErrorOf(body), HasSubstr("items[1].price"));
  EXPECT_THAT(ErrorOf(BodyWithItems(Items({Item(), Item(), Item(R"("P3")", "0")}))), HasSubstr("items[2].quantity"));
}

// --- the document as a whole ----------------------------------------------------------------------

TEST(ParseOrderRequestTest, RejectsMalformedJson) {
  for (std::string_view body : {R"({"customerId": "C123", )", R"({"customerId": "C123" "items": []})", "{", "", "   ",
                                R"({'customerId': 'C1'})", "nul"}) {
    SCOPED_TRACE(body);
    EXPECT_THAT(ErrorOf(body), HasSubstr("malformed JSON"));
  }
}

TEST(ParseOrderRequestTest, RejectsTrailingContentAfterTheDocument) {
  const std::string valid = Body();
  EXPECT_THAT(ErrorOf(valid + "x"), HasSubstr("malformed JSON"));
  EXPECT_THAT(ErrorOf(valid + " {}"), HasSubstr("malformed JSON"));
  EXPECT_THAT(ErrorOf(valid + valid), HasSubstr("malformed JSON"));
  // Trailing whitespace is not content.
  EXPECT_EQ(ErrorOf(valid + " \r\n\t"), "<accepted>");
}

TEST(ParseOrderRequestTest, RejectsInvalidUtf8) {
  EXPECT_THAT(ErrorOf(Body("\"C\xFF"
                           "1\"")),
              HasSubstr("invalid UTF-8"));
  EXPECT_THAT(ErrorOf(Body("\"C\xC3\"")), HasSubstr("invalid UTF-8"));                    // truncated sequence
  EXPECT_THAT(ErrorOf(Body("\"\xED\xA0\x80\"")), HasSubstr("invalid UTF-8"));             // surrogate
  EXPECT_THAT(ErrorOf(BodyWithItem(Item("\"P\xC0\xAF\""))), HasSubstr("invalid UTF-8"));  // overlong
}

TEST(ParseOrderRequestTest, RejectsAJsonValueThatIsNotAnObject) {
  EXPECT_THAT(ErrorOf("[" + Body() + "]"), HasSubstr("body must be a JSON object"));
  EXPECT_THAT(ErrorOf(R"("text")"), HasSubstr("body must be a JSON object"));
  EXPECT_THAT(ErrorOf("42"), HasSubstr("body must be a JSON object"));
}

TEST(ParseOrderRequestTest, RejectsControlCharactersInIds) {
  for (std::string_view id : {R"("C1\n2026-01-01 [critical] forged")", R"("\u001b[31mred")", R"("nul\u0000")",
                              R"("del\u007f")", R"("csi\u009b")"}) {
    SCOPED_TRACE(id);
    EXPECT_EQ(ErrorOf(Body(id)), "customerId must not contain control characters");
    EXPECT_EQ(ErrorOf(BodyWithItem(Item(id))), "items[0].productId must not contain control characters");
  }
}

TEST(ParseOrderRequestTest, UnescapesStringFields) {
  EXPECT_EQ(MustParse(Body(R"("C\u0031\"2")")).customer_id, "C1\"2");
}

// --- totals ---------------------------------------------------------------------------------------

TEST(OrderRequestTotalTest, SeedExampleTotalsToExactCents) {
  EXPECT_EQ(MustParse(Body()).TotalCents(), 5998);
}

TEST(OrderRequestTotalTest, ManyRandomPricesAndQuantitiesMatchIntegerArithmetic) {
  std::mt19937_64 random(42);
  std::uniform_int_distribution<Cents> price_cents(0, kMaxPriceCents);
  // Up to 1,000 so that even 100 items at the highest price stay within the total limit.
  std::uniform_int_distribution<int64_t> quantity(kMinQuantity, 1000);
  std::uniform_int_distribution<size_t> item_count(kMinItems, kMaxItems);
  std::uniform_int_distribution<int> style(0, 3);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::string> items;
    std::vector<Cents> expected_prices;
    Cents expected_total = 0;
    const size_t count = item_count(random);
    for (size_t i = 0; i < count; ++i) {
      const Cents cents = price_cents(random);
      const int64_t q = quantity(random);
      const std::string fraction = std::to_string(100 + cents % 100).substr(1);
      // The same amount in the spellings a client might use.
      std::string price;
      switch (style(random)) {
        case 0:
          price = std::to_string(cents / 100) + "." + fraction;
          break;
        case 1:
          price = std::to_string(cents) + "e-2";
          break;
        case 2:
          price = std::to_string(cents / 100) + "." + fraction + "000";
          break;
        default:
          price = std::to_string(cents * 10) + "E-3";
          break;
      }
      items.push_back(Item(Quoted("P" + std::to_string(i)), std::to_string(q), price));
      expected_prices.push_back(cents);
      expected_total += cents * q;
    }
    const auto request = MustParse(BodyWithItems(Items(items)));
    ASSERT_EQ(request.items.size(), count);
    for (size_t i = 0; i < count; ++i) ASSERT_EQ(request.items[i].price_cents, expected_prices[i]) << items[i];
    ASSERT_EQ(request.TotalCents(), expected_total);
  }
}

TEST(OrderRequestTotalTest, ATotalOfExactlyTheLimitIsAcceptedAndOneCentMoreIsRefused) {
  const std::string tenth = Item(R"("P001")", "1000", "1000000");  // 1,000 x 1,000,000.00 = 10^11 cents
  EXPECT_EQ(MustParse(BodyWithItems(Items(std::vector<std::string>(100, tenth)))).TotalCents(), kMaxOrderTotalCents);

  std::vector<std::string> items(98, tenth);
  items.push_back(Item(R"("P002")", "2000", "1000000"));
  items.push_back(Item(R"("P003")", "1", "0.01"));
  EXPECT_EQ(ErrorOf(BodyWithItems(Items(items))), "totalAmount must be at most 100000000000.00");
}

TEST(OrderRequestTotalTest, TheLargestOrderTheFieldRulesAllowDoesNotOverflowAndIsRefused) {
  const std::string item = Item(R"("P001")", "1000000", "1000000");
  EXPECT_THAT(ErrorOf(BodyWithItems(Items(std::vector<std::string>(100, item)))), HasSubstr("totalAmount"));
}

// --- canonical form -------------------------------------------------------------------------------

TEST(OrderRequestCanonicalTest, SameLogicalBodyWithOtherWhitespaceKeyOrderOrSpellingIsEqual) {
  const auto compact = MustParse(R"({"customerId":"C123","items":[{"productId":"P001","quantity":2,"price":29.99}]})");
  const auto reordered = MustParse(
      "{\n  \"items\" : [ { \"price\" : 29.990 , \"quantity\" : 2 , \"productId\" : \"P\\u0030\\u00301\" } ],\n"
      "  \"customerId\" : \"C123\"\n}\n");
  EXPECT_EQ(compact.Canonical(), reordered.Canonical());
}

TEST(OrderRequestCanonicalTest, DifferentBodiesAreNotEqual) {
  const std::string base = MustParse(Body()).Canonical();
  EXPECT_NE(base, MustParse(Body(R"("C124")")).Canonical());
  EXPECT_NE(base, MustParse(BodyWithItem(Item(R"("P002")"))).Canonical());
  EXPECT_NE(base, MustParse(BodyWithItem(Item(R"("P001")", "3"))).Canonical());
  EXPECT_NE(base, MustParse(BodyWithItem(Item(R"("P001")", "2", "29.98"))).Canonical());
  EXPECT_NE(base, MustParse(BodyWithItems(Items({Item(), Item()}))).Canonical());
  const auto two = MustParse(BodyWithItems(Items({Item(), Item(R"("P002")")})));
  const auto swapped = MustParse(BodyWithItems(Items({Item(R"("P002")"), Item()})));
  EXPECT_NE(two.Canonical(), swapped.Canonical());
}

TEST(Utf8LengthTest, CountsCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"), 3u);
}

}  // namespace
}  // namespace sagaflow::order

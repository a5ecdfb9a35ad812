// Unit tests of OrderApi::Handle: the order service's public HTTP API as a function of the request,
// against a real SQLite file, with no sockets.
#include "services/order/order_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <stdlib.h>

#include <filesystem>
#include <latch>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/random.h"
#include "common/time_format.h"
#include "common/wake_signal.h"
#include "manifest/topics.h"
#include "migrations/service_schema.h"
#include "services/order/order_store.h"
#include "services/order/tests/order_service_test.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/outbox.h"
#include "storage/testing/scratch_database.h"
#include "wire/decode_text.h"
#include "wire/order_messages.h"

namespace sagaflow::order {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSeedBody[] =
    R"({"customerId": "C123", "items": [{"productId": "P001", "quantity": 2, "price": 29.99}]})";
constexpr char kStartTime[] = "2024-01-15T10:30:00.000Z";  // ManualClock's default start

class OrderApiTest : public OrderServiceTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SetUpOrderService(Millis(30'000)));
    api_ = std::make_unique<OrderApi>(*context_, [this] { return health_; });
  }

  static http::HttpRequest Post(std::string body,
                                std::map<std::string, std::string> headers = {{"content-type", "application/json"}}) {
    http::HttpRequest request;
    request.method = "POST";
    request.path = "/api/orders";
    request.headers = std::move(headers);
    request.body = std::move(body);
    return request;
  }

  static http::HttpRequest PostWithKey(std::string body, std::string key) {
    return Post(std::move(body), {{"content-type", "application/json"}, {"idempotency-key", std::move(key)}});
  }

  static http::HttpRequest Request(std::string method, std::string path,
                                   std::map<std::string, std::string> query = {}) {
    http::HttpRequest request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.query = std::move(query);
    return request;
  }

  // POSTs `body` and returns the new order's id, failing the test unless it was accepted.
  std::string CreateOrder(const std::string& body = kSeedBody) {
    auto response = api_->Handle(Post(body));
    EXPECT_EQ(response.status, 202) << response.body;
    return StringField(response.body, "orderId");
  }

  static std::string StringField(const std::string& json, const char* field) {
    simdjson::dom::parser parser;
    std::string_view value;
    if (parser.parse(json)[field].get_string().get(value)) {
      ADD_FAILURE() << "no string " << field << " in " << json;
      return "";
    }
    return std::string(value);
  }

  std::vector<storage::OutboxRow> OutboxRows() {
    auto rows = outbox_->LoadUnpublished(10'000);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<storage::OutboxRow>{};
  }

  // The response is a 4xx/5xx with a JSON {"error": "..."} body; returns the message.
  static std::string ErrorMessage(const http::HttpResponse& response) {
    EXPECT_EQ(response.content_type, "application/json");
    return StringField(response.body, "error");
  }

  static std::optional<std::string> HeaderOf(const http::HttpResponse& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return std::nullopt;
  }

  http::HealthReport health_{true, true};
  std::unique_ptr<OrderApi> api_;
};

// --- POST /api/orders -----------------------------------------------------------------------------

TEST_F(OrderApiTest, PostingTheSeedsBodyIsAcceptedWithLocationAndTotal) {
  auto response = api_->Handle(Post(kSeedBody));

  ASSERT_EQ(response.status, 202) << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_THAT(response.body, HasSubstr(R"("totalAmount":59.98)"));
  const std::string order_id = StringField(response.body, "orderId");
  EXPECT_EQ(order_id.size(), 36u);
  EXPECT_EQ(StringField(response.body, "status"), "PENDING");
  EXPECT_FALSE(StringField(response.body, "message").empty());
  EXPECT_EQ(HeaderOf(response, "Location"), "/api/orders/" + order_id);
  EXPECT_EQ(CountRows("orders"), 1);
  EXPECT_EQ(CountRows("order_items"), 1);
}

TEST_F(OrderApiTest, AcceptedOrderPutsOneOrdersCreatedEventWithTheSeedsFieldsInTheOutbox) {
  const std::string order_id = CreateOrder();

  const auto rows = OutboxRows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].topic, topics::kOrderCreated);
  EXPECT_THAT(rows[0].payload, HasSubstr(R"("totalAmount":59.98)"));
  auto event = wire::DecodeText(rows[0].payload, wire::DecodeOrderCreated);
  ASSERT_TRUE(event.ok()) << event.status().ToString() << " in " << rows[0].payload;
  EXPECT_EQ(event->order_id, order_id);
  EXPECT_EQ(event->message_id.size(), 36U);
  EXPECT_NE(event->message_id, order_id);
  EXPECT_EQ(event->customer_id, "C123");
  EXPECT_EQ(event->created_at, kStartTime);
  EXPECT_EQ(event->total_cents, 5998);
  ASSERT_EQ(event->items.size(), 1U);
  EXPECT_EQ(event->items[0].product_id, "P001");
  EXPECT_EQ(event->items[0].quantity, 2);
  EXPECT_EQ(event->items[0].price_cents, 2999);
}

// orders/created byte for byte as the order service publishes it, escapes and unicode included, so that how it is
// written may change and what it is may not.
TEST_F(OrderApiTest, OrdersCreatedIsTheBytesTheOrderServicePublishes) {
  const std::string order_id = CreateOrder(
      R"({"customerId": "Zo\u00eb \"Q\" \\ x", "items": [{"productId": "P001", "quantity": 2, "price": 29.99},)"
      R"( {"productId": "Pé/1", "quantity": 1, "price": 5}]})");
  const auto rows = OutboxRows();
  ASSERT_EQ(rows.size(), 1U);
  simdjson::dom::parser parser;
  const std::string_view message_id = parser.parse(rows[0].payload)["messageId"];
  EXPECT_EQ(rows[0].payload,
            R"({"messageId":")" + std::string(message_id) + R"(","orderId":")" + order_id +
                R"(","customerId":"Zoë \"Q\" \\ x","items":[{"productId":"P001","quantity":2,)"
                R"("price":29.99},{"productId":"Pé/1","quantity":1,"price":5.00}],"totalAmount":64.98,)"
                R"("createdAt":")" +
                kStartTime + R"("})");
}

TEST_F(OrderApiTest, ContentTypeMustBeJson) {
  auto text = api_->Handle(Post(kSeedBody, {{"content-type", "text/plain"}}));
  EXPECT_EQ(text.status, 415);
  EXPECT_THAT(ErrorMessage(text), HasSubstr("Content-Type"));

  auto missing = api_->Handle(Post(kSeedBody, {}));
  EXPECT_EQ(missing.status, 415);
  EXPECT_THAT(ErrorMessage(missing), HasSubstr("Content-Type"));

  EXPECT_EQ(CountRows("orders"), 0);
}

TEST_F(OrderApiTest, JsonContentTypeWithCharsetOrOtherCaseIsAccepted) {
  EXPECT_EQ(api_->Handle(Post(kSeedBody, {{"content-type", "application/json; charset=utf-8"}})).status, 202);
  EXPECT_EQ(api_->Handle(Post(kSeedBody, {{"content-type", "Application/JSON"}})).status, 202);
  EXPECT_EQ(CountRows("orders"), 2);
}

TEST_F(OrderApiTest, BodyOverSixtyFourKibIsTooLarge) {
  auto response = api_->Handle(Post(std::string(kMaxBodyBytes + 1, ' ')));
  EXPECT_EQ(response.status, 413);
  EXPECT_THAT(ErrorMessage(response), HasSubstr("body"));
}

TEST_F(OrderApiTest, BodyOfExactlySixtyFourKibIsNotTooLarge) {
  std::string body = kSeedBody;
  body.resize(kMaxBodyBytes, ' ');  // trailing whitespace keeps it one valid JSON document
  auto response = api_->Handle(Post(body));
  EXPECT_EQ(response.status, 202) << response.body;
}

struct BadBody {
  const char* name;
  std::string body;
  const char* field;  // the error message must contain this
};

std::vector<BadBody> BadBodies() {
  return {
      {"MalformedJson", R"({"customerId": "C123", )", "malformed JSON"},
      {"InvalidUtf8", "{\"customerId\": \"C\xFF\", \"items\": []}", "UTF-8"},
      {"TopLevelArray", std::string("[") + kSeedBody + "]", "object"},
      {"TrailingGarbage", std::string(kSeedBody) + "x", "malformed JSON"},
      {"MissingCustomerId", R"({"items": [{"productId": "P001", "quantity": 2, "price": 29.99}]})", "customerId"},
      {"NumericCustomerId", R"({"customerId": 7, "items": [{"productId": "P001", "quantity": 2, "price": 29.99}]})",
       "customerId"},
      {"LongCustomerId",
       R"({"customerId": ")" + std::string(65, 'c') +
           R"(", "items": [{"productId": "P001", "quantity": 2, "price": 1}]})",
       "customerId"},
      {"NoItems", R"({"customerId": "C123", "items": []})", "items"},
      {"ItemNotObject", R"({"customerId": "C123", "items": [1]})", "items[0]"},
      {"EmptyProductId", R"({"customerId": "C123", "items": [{"productId": "", "quantity": 2, "price": 29.99}]})",
       "items[0].productId"},
      {"ZeroQuantity", R"({"customerId": "C123", "items": [{"productId": "P001", "quantity": 0, "price": 29.99}]})",
       "items[0].quantity"},
      {"FractionalQuantity",
       R"({"customerId": "C123", "items": [{"productId": "P001", "quantity": 2.5, "price": 29.99}]})",
       "items[0].quantity"},
      {"StringPrice", R"({"customerId": "C123", "items": [{"productId": "P001", "quantity": 2, "price": "29.99"}]})",
       "items[0].price"},
      {"ThreeDecimalPriceInSecondItem",
       R"({"customerId": "C123", "items": [{"productId": "P001", "quantity": 2, "price": 29.99},
                                            {"productId": "P002", "quantity": 1, "price": 29.999}]})",
       "items[1].price"},
      {"NegativePrice", R"({"customerId": "C123", "items": [{"productId": "P001", "quantity": 2, "price": -0.01}]})",
       "items[0].price"},
  };
}

TEST_F(OrderApiTest, BadInputIsRejectedWith400NamingTheField) {
  for (const auto& bad : BadBodies()) {
    SCOPED_TRACE(bad.name);
    auto response = api_->Handle(Post(bad.body));
    EXPECT_EQ(response.status, 400) << response.body;
    EXPECT_THAT(ErrorMessage(response), HasSubstr(bad.field));
  }
}

TEST_F(OrderApiTest, NothingIsStoredForAnyRejectedRequest) {
  // One accepted order with a key first, so that the 409 case has something to conflict with.
  ASSERT_EQ(api_->Handle(PostWithKey(kSeedBody, "key-1")).status, 202);
  ASSERT_EQ(CountRows("orders"), 1);
  ASSERT_EQ(CountRows("outbox"), 1);

  std::vector<std::pair<std::string, http::HttpRequest>> rejected;
  for (const auto& bad : BadBodies()) rejected.emplace_back(bad.name, Post(bad.body));
  rejected.emplace_back("TextPlain", Post(kSeedBody, {{"content-type", "text/plain"}}));
  rejected.emplace_back("NoContentType", Post(kSeedBody, {}));
  rejected.emplace_back("TooLarge", Post(std::string(kMaxBodyBytes + 1, ' ')));
  rejected.emplace_back("KeyTooLong", PostWithKey(kSeedBody, std::string(129, 'k')));
  rejected.emplace_back("KeyWithControlChar", PostWithKey(kSeedBody, "key\x01"));
  rejected.emplace_back(
      "KeyReusedWithOtherBody",
      PostWithKey(R"({"customerId": "C999", "items": [{"productId": "P1", "quantity": 1, "price": 1}]})", "key-1"));
  for (const auto& [name, request] : rejected) {
    SCOPED_TRACE(name);
    auto response = api_->Handle(request);
    EXPECT_GE(response.status, 400);
    EXPECT_LT(response.status, 500);
    EXPECT_FALSE(ErrorMessage(response).empty());
    EXPECT_EQ(CountRows("orders"), 1);
    EXPECT_EQ(CountRows("order_items"), 1);
    EXPECT_EQ(CountRows("order_history"), 1);
    EXPECT_EQ(CountRows("idempotency_keys"), 1);
    EXPECT_EQ(CountRows("outbox"), 1);
  }
}

// --- Idempotency-Key ------------------------------------------------------------------------------

TEST_F(OrderApiTest, SameKeyAndSameBodyReturnsTheSameOrderAndCreatesNothingNew) {
  auto first = api_->Handle(PostWithKey(kSeedBody, "checkout-42"));
  ASSERT_EQ(first.status, 202) << first.body;
  clock_.Advance(Millis(5000));
  // The same logical body, spelled differently.
  auto second = api_->Handle(
      PostWithKey(R"({ "items": [ { "price": 29.990, "quantity": 2, "productId": "P001" } ], "customerId": "C123" })",
                  "checkout-42"));

  EXPECT_THAT(second.status, ::testing::AnyOf(200, 202));
  EXPECT_EQ(StringField(second.body, "orderId"), StringField(first.body, "orderId"));
  EXPECT_THAT(second.body, HasSubstr(R"("totalAmount":59.98)"));
  EXPECT_EQ(HeaderOf(second, "Location"), HeaderOf(first, "Location"));
  EXPECT_EQ(CountRows("orders"), 1);
  EXPECT_EQ(CountRows("outbox"), 1);
}

TEST_F(OrderApiTest, SameKeyWithADifferentBodyIsAConflict) {
  ASSERT_EQ(api_->Handle(PostWithKey(kSeedBody, "checkout-42")).status, 202);
  auto response = api_->Handle(PostWithKey(
      R"({"customerId": "C123", "items": [{"productId": "P001", "quantity": 3, "price": 29.99}]})", "checkout-42"));
  EXPECT_EQ(response.status, 409);
  EXPECT_THAT(ErrorMessage(response), HasSubstr("Idempotency-Key"));
  EXPECT_EQ(CountRows("orders"), 1);
  EXPECT_EQ(CountRows("outbox"), 1);
}

TEST_F(OrderApiTest, DifferentKeysCreateDifferentOrders) {
  auto first = api_->Handle(PostWithKey(kSeedBody, "a"));
  auto second = api_->Handle(PostWithKey(kSeedBody, "b"));
  ASSERT_EQ(first.status, 202);
  ASSERT_EQ(second.status, 202);
  EXPECT_NE(StringField(first.body, "orderId"), StringField(second.body, "orderId"));
  EXPECT_EQ(CountRows("orders"), 2);
}

TEST_F(OrderApiTest, KeyOf128PrintableCharactersIsAcceptedAnd129IsNot) {
  EXPECT_EQ(api_->Handle(PostWithKey(kSeedBody, std::string(128, 'k'))).status, 202);
  auto response = api_->Handle(PostWithKey(kSeedBody, std::string(129, 'k')));
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(ErrorMessage(response), HasSubstr("Idempotency-Key"));
}

TEST_F(OrderApiTest, KeyThatIsEmptyOrHasAControlCharacterIsRejected) {
  for (std::string key : {std::string(""), std::string("a\tb"), std::string("a\nb"), std::string("a\x7F")}) {
    SCOPED_TRACE(key);
    auto response = api_->Handle(PostWithKey(kSeedBody, key));
    EXPECT_EQ(response.status, 400);
    EXPECT_THAT(ErrorMessage(response), HasSubstr("Idempotency-Key"));
  }
  EXPECT_EQ(CountRows("orders"), 0);
}

TEST_F(OrderApiTest, ConcurrentPostsWithOneKeyCreateExactlyOneOrder) {
  constexpr int kThreads = 6;
  std::vector<http::HttpResponse> responses(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      responses[static_cast<size_t>(i)] = api_->Handle(PostWithKey(kSeedBody, "double-click"));
    });
  }
  for (auto& thread : threads) thread.join();

  const std::string order_id = StringField(responses[0].body, "orderId");
  int created = 0;
  for (const auto& response : responses) {
    EXPECT_THAT(response.status, ::testing::AnyOf(200, 202)) << response.body;
    EXPECT_EQ(StringField(response.body, "orderId"), order_id);
    if (response.status == 202) ++created;
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(CountRows("orders"), 1);
  EXPECT_EQ(CountRows("outbox"), 1);
}

// --- GET /api/orders/<id> -------------------------------------------------------------------------

TEST_F(OrderApiTest, GetReturnsTheOrderWithItemsTotalStatusTimesAndHistory) {
  const std::string order_id = CreateOrder();
  auto response = api_->Handle(Request("GET", "/api/orders/" + order_id));

  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(response.body, HasSubstr(R"("totalAmount":59.98)"));
  EXPECT_THAT(response.body, HasSubstr(R"("price":29.99)"));
  EXPECT_THAT(response.body, Not(HasSubstr("reason")));
  simdjson::dom::parser parser;
  simdjson::dom::object order = parser.parse(response.body);
  EXPECT_EQ(std::string_view(order["orderId"]), order_id);
  EXPECT_EQ(std::string_view(order["customerId"]), "C123");
  EXPECT_EQ(std::string_view(order["status"]), "PENDING");
  EXPECT_EQ(std::string_view(order["createdAt"]), kStartTime);
  EXPECT_EQ(std::string_view(order["updatedAt"]), kStartTime);
  simdjson::dom::array items = order["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(std::string_view(items.at(0)["productId"]), "P001");
  EXPECT_EQ(int64_t(items.at(0)["quantity"]), 2);
  simdjson::dom::array history = order["history"];
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(std::string_view(history.at(0)["event"]), "created");
  EXPECT_EQ(std::string_view(history.at(0)["at"]), kStartTime);
}

TEST_F(OrderApiTest, GetKeepsItemsInTheirOrder) {
  const std::string order_id = CreateOrder(
      R"({"customerId": "C1", "items": [{"productId": "B", "quantity": 1, "price": 1.5},
                                         {"productId": "A", "quantity": 3, "price": 0.25}]})");
  auto response = api_->Handle(Request("GET", "/api/orders/" + order_id));
  ASSERT_EQ(response.status, 200);
  EXPECT_THAT(response.body, HasSubstr(R"("items":[{"productId":"B","quantity":1,"price":1.50},)"
                                       R"({"productId":"A","quantity":3,"price":0.25}])"));
  EXPECT_THAT(response.body, HasSubstr(R"("totalAmount":2.25)"));
}

TEST_F(OrderApiTest, GetOfAnUnknownIdIs404Json) {
  auto response = api_->Handle(Request("GET", "/api/orders/no-such-order"));
  EXPECT_EQ(response.status, 404);
  EXPECT_THAT(ErrorMessage(response), HasSubstr("no-such-order"));
}

// --- GET /api/orders ------------------------------------------------------------------------------

TEST_F(OrderApiTest, ListFiltersByStatusNewestFirstUpToTheLimit) {
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(CreateOrder());
    clock_.Advance(Millis(1000));
  }
  // The newest order is no longer PENDING.
  ASSERT_TRUE(db_->Write([&](storage::UnitOfWork& uow) {
                   store::UpdateStatus(uow, ids[3], kProcessing, "", FormatIso8601(clock_.Now()), std::nullopt);
                   return Status::Ok();
                 })
                  .ok());

  auto response = api_->Handle(Request("GET", "/api/orders", {{"status", "PENDING"}, {"limit", "2"}}));

  ASSERT_EQ(response.status, 200) << response.body;
  simdjson::dom::parser parser;
  simdjson::dom::array list = parser.parse(response.body);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(std::string_view(list.at(0)["orderId"]), ids[2]);
  EXPECT_EQ(std::string_view(list.at(1)["orderId"]), ids[1]);
  EXPECT_EQ(std::string_view(list.at(0)["status"]), "PENDING");
  EXPECT_EQ(simdjson::dom::array(list.at(0)["items"]).size(), 1u);
}

TEST_F(OrderApiTest, ListWithoutStatusReturnsEveryStatusNewestFirst) {
  const std::string first = CreateOrder();
  const std::string second = CreateOrder();  // same createdAt: insertion order breaks the tie
  auto response = api_->Handle(Request("GET", "/api/orders"));
  ASSERT_EQ(response.status, 200);
  simdjson::dom::parser parser;
  simdjson::dom::array list = parser.parse(response.body);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(std::string_view(list.at(0)["orderId"]), second);
  EXPECT_EQ(std::string_view(list.at(1)["orderId"]), first);
}

TEST_F(OrderApiTest, ListOfNothingIsAnEmptyArray) {
  auto response = api_->Handle(Request("GET", "/api/orders", {{"status", "COMPLETED"}}));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "[]");
}

TEST_F(OrderApiTest, ListLimitAbove1000IsAcceptedAndClamped) {
  for (int i = 0; i < 3; ++i) CreateOrder();
  auto response = api_->Handle(Request("GET", "/api/orders", {{"limit", "5000"}}));
  ASSERT_EQ(response.status, 200) << response.body;
  simdjson::dom::parser parser;
  EXPECT_EQ(simdjson::dom::array(parser.parse(response.body)).size(), 3u);
}

TEST_F(OrderApiTest, ListLimitDefaultsTo50AndNeverExceeds1000) {
  // Stored directly in one transaction: 1001 POSTs would only make the test slow.
  ASSERT_TRUE(db_->Write([&](storage::UnitOfWork& uow) {
                   for (int i = 0; i < 1001; ++i) {
                     Order order;
                     order.order_id = "order-" + std::to_string(i);
                     order.customer_id = "C1";
                     order.status = std::string(kPending);
                     order.total_cents = 100;
                     order.created_at = order.updated_at = kStartTime;
                     order.items = {{"P1", 1, 100}};
                     store::InsertOrder(uow, order, 0);
                   }
                   return Status::Ok();
                 })
                  .ok());
  simdjson::dom::parser parser;
  auto by_default = api_->Handle(Request("GET", "/api/orders"));
  ASSERT_EQ(by_default.status, 200);
  EXPECT_EQ(simdjson::dom::array(parser.parse(by_default.body)).size(), 50u);
  auto clamped = api_->Handle(Request("GET", "/api/orders", {{"limit", "5000"}}));
  ASSERT_EQ(clamped.status, 200);
  EXPECT_EQ(simdjson::dom::array(parser.parse(clamped.body)).size(), 1000u);
}

TEST_F(OrderApiTest, ListRejectsAnUnknownStatus) {
  for (std::string status : {"SHIPPED", "pending"}) {
    auto response = api_->Handle(Request("GET", "/api/orders", {{"status", status}}));
    EXPECT_EQ(response.status, 400);
    EXPECT_THAT(ErrorMessage(response), HasSubstr("status"));
  }
}

TEST_F(OrderApiTest, ListRejectsALimitThatIsNotAPositiveInteger) {
  for (std::string limit : {"0", "-1", "abc", "", "10x", "1.5", "99999999999999999999999"}) {
    SCOPED_TRACE(limit);
    auto response = api_->Handle(Request("GET", "/api/orders", {{"limit", limit}}));
    EXPECT_EQ(response.status, 400);
    EXPECT_THAT(ErrorMessage(response), HasSubstr("limit"));
  }
}

// --- other routes ---------------------------------------------------------------------------------

TEST_F(OrderApiTest, OtherMethodsOnOrdersAre405Json) {
  auto del = api_->Handle(Request("DELETE", "/api/orders"));
  EXPECT_EQ(del.status, 405);
  EXPECT_THAT(ErrorMessage(del), HasSubstr("DELETE"));
  const std::string order_id = CreateOrder();
  auto put = api_->Handle(Request("PUT", "/api/orders/" + order_id));
  EXPECT_EQ(put.status, 405);
  EXPECT_THAT(ErrorMessage(put), HasSubstr("PUT"));
  EXPECT_EQ(CountRows("orders"), 1);
}

TEST_F(OrderApiTest, UnknownPathIs404Json) {
  for (std::string path : {"/", "/api", "/api/order", "/api/orders/x/y", "/nope"}) {
    SCOPED_TRACE(path);
    auto response = api_->Handle(Request("GET", path));
    EXPECT_EQ(response.status, 404);
    EXPECT_THAT(ErrorMessage(response), HasSubstr(path));
  }
}

// Regression: "/health/" was routed to the admin router, which matched the untrimmed path and said 404.
TEST_F(OrderApiTest, ATrailingSlashIsIgnoredOnEveryRoute) {
  const std::string order_id = CreateOrder();
  EXPECT_EQ(api_->Handle(Request("GET", "/api/orders/")).status, 200);
  EXPECT_EQ(api_->Handle(Request("GET", "/api/orders/" + order_id + "/")).status, 200);
  EXPECT_EQ(api_->Handle(Request("GET", "/health/")).status, 200);
  EXPECT_EQ(api_->Handle(Request("GET", "/metrics/")).status, 200);
}

TEST_F(OrderApiTest, HealthReportsTheInjectedStateAndWhichPartIsDown) {
  auto healthy = api_->Handle(Request("GET", "/health"));
  EXPECT_EQ(healthy.status, 200);
  EXPECT_EQ(StringField(healthy.body, "status"), "ok");

  health_ = {true, false};
  auto no_broker = api_->Handle(Request("GET", "/health"));
  EXPECT_EQ(no_broker.status, 503);
  EXPECT_EQ(StringField(no_broker.body, "broker"), "disconnected");
  EXPECT_EQ(StringField(no_broker.body, "database"), "ok");

  health_ = {false, true};
  auto no_database = api_->Handle(Request("GET", "/health"));
  EXPECT_EQ(no_database.status, 503);
  EXPECT_EQ(StringField(no_database.body, "database"), "unavailable");
  EXPECT_EQ(StringField(no_database.body, "broker"), "connected");
}

TEST_F(OrderApiTest, MetricsCountRequestsByRouteAndCode) {
  CreateOrder();
  api_->Handle(Request("GET", "/api/orders/unknown"));
  auto response = api_->Handle(Request("GET", "/metrics"));
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.content_type, HasSubstr("text/plain"));
  EXPECT_THAT(response.body, HasSubstr("sagaflow_http_requests_total"));
  EXPECT_THAT(response.body, HasSubstr(R"(sagaflow_http_requests_total{route="/api/orders",code="202"} 1)"));
  EXPECT_THAT(response.body, HasSubstr(R"(sagaflow_http_requests_total{route="/api/orders/:id",code="404"} 1)"));
  EXPECT_THAT(response.body, HasSubstr("sagaflow_orders_created_total 1"));
}

}  // namespace
}  // namespace sagaflow::order

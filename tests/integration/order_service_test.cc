// The real order-service binary against a real Mosquitto: the transactional outbox end to end.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <simdjson.h>

#include <set>

#include "tests/support/broker.h"
#include "tests/support/http_client.h"
#include "tests/support/mqtt_probe.h"
#include "tests/support/service.h"
#include "tests/support/test_env.h"
#include "wire/decode_text.h"
#include "wire/order_messages.h"

namespace sagaflow::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kSeedOrder =
    R"({"customerId": "C123", "items": [{"productId": "P001", "quantity": 2, "price": 29.99}]})";

std::string OrderIdOf(const std::string& body) {
  simdjson::dom::parser parser;
  std::string_view id;
  if (parser.parse(body).get_object()["orderId"].get_string().get(id)) return "";
  return std::string(id);
}

std::set<std::string> OrderIdsIn(const std::vector<ReceivedMessage>& messages, const std::string& topic) {
  std::set<std::string> ids;
  for (const auto& message : messages) {
    if (message.topic == topic) ids.insert(OrderIdOf(message.payload));
  }
  return ids;
}

int64_t Count(const std::string& db_path, const std::string& sql) {
  SQLite::Database db(db_path, SQLite::OPEN_READONLY);
  return db.execAndGet(sql).getInt64();
}

class OrderServiceTest : public ::testing::Test {
 protected:
  OrderServiceTest() : ports_{FreePort(), FreePortRange(5)}, broker_(home_.path(), ports_.mqtt) {
    for (const char* probe : {"probe", "probe-offline", "probe-backlog", "probe-publisher"}) {
      broker_.AddTestAccount(probe);
    }
  }

  std::unique_ptr<Service> MakeOrderService(std::map<std::string, std::string> env = {},
                                            std::vector<std::string> args = {}) {
    return std::make_unique<Service>("order-service", home_.path(), ports_, std::move(env), std::move(args));
  }
  std::string OrdersDb() const { return home_.path() + "/data/orders.db"; }

  TempDir home_;
  SystemPorts ports_;
  Broker broker_;
};

TEST_F(OrderServiceTest, SeedOrderIsAcceptedAndItsEventPublishedWithTheSeedsFields) {
  broker_.Start();
  MqttProbe probe(broker_.uri(), broker_.Login("probe"), {"orders/created"});
  probe.Connect();
  auto service = MakeOrderService();
  service->StartHealthy();

  HttpClient client(service->port());
  auto response = client.PostJson("/api/orders", kSeedOrder);
  ASSERT_EQ(response.status, 202) << response.body;
  const std::string order_id = OrderIdOf(response.body);
  ASSERT_FALSE(order_id.empty());
  EXPECT_EQ(response.headers["location"], "/api/orders/" + order_id);
  EXPECT_NE(response.body.find("\"totalAmount\":59.98"), std::string::npos) << response.body;
  EXPECT_NE(response.body.find("\"status\":\"PENDING\""), std::string::npos);

  ASSERT_TRUE(probe.WaitFor([](auto& m) { return !m.empty(); }, seconds(10)));
  const std::string payload = probe.messages().front().payload;
  auto event = wire::DecodeText(payload, wire::DecodeOrderCreated);
  ASSERT_TRUE(event.ok()) << event.status().ToString() << " in " << payload;
  EXPECT_EQ(event->order_id, order_id);
  EXPECT_EQ(event->customer_id, "C123");
  EXPECT_FALSE(event->message_id.empty());
  EXPECT_FALSE(event->created_at.empty());
  ASSERT_EQ(event->items.size(), 1U);
  EXPECT_EQ(event->items[0].product_id, "P001");
  EXPECT_EQ(event->items[0].quantity, 2);
  EXPECT_EQ(event->items[0].price_cents, 2999);
  EXPECT_NE(payload.find("\"price\":29.99"), std::string::npos) << payload;
  EXPECT_NE(payload.find("\"totalAmount\":59.98"), std::string::npos) << payload;

  // The outbox row is marked published once the broker acknowledged it.
  EXPECT_TRUE(Eventually(
      [&] { return Count(OrdersDb(), "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL") == 0; }, seconds(10)));
}

TEST_F(OrderServiceTest, PostsWhileTheBrokerIsDownAreAcceptedAndAllEventsArriveWhenItStarts) {
  // Register a persistent probe session, then stop the broker gracefully (it saves the session).
  broker_.Start();
  {
    MqttProbe registration(broker_.uri(), broker_.Login("probe-offline"), {"orders/created"}, /*clean_session=*/false);
    registration.Connect();
  }
  broker_.Stop();

  auto service = MakeOrderService();
  service->Start();
  HttpClient client(service->port());
  ASSERT_TRUE(Eventually([&] { return client.Get("/health").status == 503; }, seconds(20)))
      << "health must say the broker is missing";
  std::set<std::string> accepted;
  for (int i = 0; i < 25; ++i) {
    auto response = client.PostJson("/api/orders", kSeedOrder);
    ASSERT_EQ(response.status, 202) << response.body;
    accepted.insert(OrderIdOf(response.body));
  }
  EXPECT_EQ(Count(OrdersDb(), "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL"), 25);

  broker_.Start();
  MqttProbe probe(broker_.uri(), broker_.Login("probe-offline"), {"orders/created"}, /*clean_session=*/false);
  ASSERT_TRUE(probe.ConnectWithin(seconds(10)));
  ASSERT_TRUE(probe.WaitFor([&](auto& m) { return OrderIdsIn(m, "orders/created") == accepted; }, seconds(30)))
      << "received " << probe.Count("orders/created") << " of " << accepted.size();
  EXPECT_TRUE(service->WaitHealthy(seconds(10)));
}

TEST_F(OrderServiceTest, KilledWhilePublishingABacklogLosesNoEvent) {
  broker_.Start();
  {
    MqttProbe registration(broker_.uri(), broker_.Login("probe-backlog"), {"orders/created"}, false);
    registration.Connect();
  }
  broker_.Stop();

  // Small batches make the relay take many round trips, so the kill lands mid-publishing.
  auto service = MakeOrderService({{"SAGAFLOW_OUTBOX_BATCH", "5"}});
  service->Start();
  HttpClient client(service->port());
  ASSERT_TRUE(Eventually([&] { return client.Get("/health").status != 0; }, seconds(20)));
  std::set<std::string> accepted;
  for (int i = 0; i < 500; ++i) {
    auto response = client.PostJson("/api/orders", kSeedOrder);
    ASSERT_EQ(response.status, 202) << response.body;
    accepted.insert(OrderIdOf(response.body));
  }

  broker_.Start();
  MqttProbe probe(broker_.uri(), broker_.Login("probe-backlog"), {"orders/created"}, false);
  ASSERT_TRUE(probe.ConnectWithin(seconds(10)));
  ASSERT_TRUE(probe.WaitFor([](auto& m) { return m.size() >= 20; }, seconds(30)));
  service->Kill();
  const size_t before_restart = OrderIdsIn(probe.messages(), "orders/created").size();
  service->Start();
  ASSERT_TRUE(probe.WaitFor([&](auto& m) { return OrderIdsIn(m, "orders/created") == accepted; }, seconds(60)))
      << "received " << OrderIdsIn(probe.messages(), "orders/created").size() << " of 500";
  EXPECT_GT(accepted.size(), before_restart) << "the kill should have interrupted the backlog";
  EXPECT_TRUE(Eventually(
      [&] { return Count(OrdersDb(), "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL") == 0; }, seconds(30)));
}

TEST_F(OrderServiceTest, EveryBadInputGetsItsCodeAndStoresNothing) {
  broker_.Start();
  auto service = MakeOrderService();
  service->StartHealthy();
  HttpClient client(service->port());

  struct Case {
    std::string name;
    std::string body;
    std::map<std::string, std::string> headers;
    int status;
    std::string field;  // the error must name it
  };
  const std::string long_id(65, 'x');
  const std::vector<Case> cases = {
      {"malformed", "{\"customerId\": ", {}, 400, "JSON"},
      {"invalid utf-8", "{\"customerId\": \"C\xff\", \"items\": []}", {}, 400, "UTF-8"},
      {"not an object", "[1,2]", {}, 400, "object"},
      {"missing customer", R"({"items": [{"productId": "P001", "quantity": 1, "price": 1}]})", {}, 400, "customerId"},
      {"empty customer",
       R"({"customerId": "", "items": [{"productId": "P001", "quantity": 1, "price": 1}]})",
       {},
       400,
       "customerId"},
      {"long customer",
       R"({"customerId": ")" + long_id + R"(", "items": [{"productId": "P001", "quantity": 1, "price": 1}]})",
       {},
       400,
       "customerId"},
      {"no items", R"({"customerId": "C1", "items": []})", {}, 400, "items"},
      {"items not array", R"({"customerId": "C1", "items": {}})", {}, 400, "items"},
      {"zero quantity",
       R"({"customerId": "C1", "items": [{"productId": "P001", "quantity": 0, "price": 1}]})",
       {},
       400,
       "items[0].quantity"},
      {"string quantity",
       R"({"customerId": "C1", "items": [{"productId": "P001", "quantity": "2", "price": 1}]})",
       {},
       400,
       "items[0].quantity"},
      {"three decimals",
       R"({"customerId": "C1", "items": [{"productId": "P001", "quantity": 1, "price": 1.001}]})",
       {},
       400,
       "items[0].price"},
      {"negative price",
       R"({"customerId": "C1", "items": [{"productId": "P001", "quantity": 1, "price": -1}]})",
       {},
       400,
       "items[0].price"},
      {"price too high",
       R"({"customerId": "C1", "items": [{"productId": "P001", "quantity": 1, "price": 1000000.01}]})",
       {},
       400,
       "items[0].price"},
      {"empty product",
       R"({"customerId": "C1", "items": [{"productId": "", "quantity": 1, "price": 1}]})",
       {},
       400,
       "items[0].productId"},
      {"text/plain", kSeedOrder, {{"Content-Type", "text/plain"}}, 415, "Content-Type"},
      {"too large", "{\"customerId\": \"" + std::string(70 * 1024, 'a') + "\", \"items\": []}", {}, 413, "body"},
      {"bad idempotency key", kSeedOrder, {{"Idempotency-Key", std::string(129, 'k')}}, 400, "Idempotency-Key"},
  };
  for (const auto& c : cases) {
    auto response = client.PostJson("/api/orders", c.body, c.headers);
    EXPECT_EQ(response.status, c.status) << c.name << ": " << response.body;
    EXPECT_EQ(response.headers["content-type"].rfind("application/json", 0), 0u) << c.name;
    EXPECT_NE(response.body.find("\"error\""), std::string::npos) << c.name << ": " << response.body;
    EXPECT_NE(response.body.find(c.field), std::string::npos)
        << c.name << " should name " << c.field << ": " << response.body;
  }
  auto unknown = client.Get("/api/orders/does-not-exist");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("\"error\""), std::string::npos);
  EXPECT_EQ(Count(OrdersDb(), "SELECT COUNT(*) FROM orders"), 0);
  EXPECT_EQ(Count(OrdersDb(), "SELECT COUNT(*) FROM order_items"), 0);
  EXPECT_EQ(Count(OrdersDb(), "SELECT COUNT(*) FROM outbox"), 0);

  // Same key and body: one order; same key, other body: 409.
  auto first = client.PostJson("/api/orders", kSeedOrder, {{"Idempotency-Key", "key-1"}});
  auto again = client.PostJson("/api/orders", kSeedOrder, {{"Idempotency-Key", "key-1"}});
  auto other = client.PostJson("/api/orders",
                               R"({"customerId": "C9", "items": [{"productId": "P001", "quantity": 1, "price": 1}]})",
                               {{"Idempotency-Key", "key-1"}});
  EXPECT_EQ(first.status, 202);
  EXPECT_TRUE(again.status == 200 || again.status == 202) << again.status;
  EXPECT_EQ(OrderIdOf(first.body), OrderIdOf(again.body));
  EXPECT_EQ(other.status, 409);
  EXPECT_EQ(Count(OrdersDb(), "SELECT COUNT(*) FROM orders"), 1);
}

TEST_F(OrderServiceTest, ConcurrentPostsWithOneIdempotencyKeyMakeOneOrder) {
  broker_.Start();
  auto service = MakeOrderService();
  service->StartHealthy();
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<std::string> ids;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      HttpClient client(service->port());
      auto response = client.PostJson("/api/orders", kSeedOrder, {{"Idempotency-Key", "same-key"}});
      std::lock_guard lock(mu);
      ids.insert(OrderIdOf(response.body));
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(Count(OrdersDb(), "SELECT COUNT(*) FROM orders"), 1);
}

TEST_F(OrderServiceTest, OrderCompletedMovesTheOrderToCompletedWithHistory) {
  broker_.Start();
  MqttProbe probe(broker_.uri(), broker_.Login("probe-publisher"), {"deadletter/orders/completed"});
  probe.Connect();
  auto service = MakeOrderService();
  service->StartHealthy();
  HttpClient client(service->port());
  const std::string order_id = OrderIdOf(client.PostJson("/api/orders", kSeedOrder).body);

  const std::string key = order_id + ":outcome";
  probe.Publish("orders/progress", wire::Encode(wire::OrderProgress{"p1", order_id, "saga started", "PROCESSING",
                                                                    "2026-01-01T00:00:00.000Z", ""}));
  probe.Publish("orders/completed",
                wire::Encode(wire::OrderCompleted{"c1", order_id, key, "2026-01-01T00:00:01.000Z"}));
  // A duplicate outcome with another message id changes nothing.
  probe.Publish("orders/completed",
                wire::Encode(wire::OrderCompleted{"c2", order_id, key, "2026-01-01T00:00:02.000Z"}));
  HttpResult order;
  ASSERT_TRUE(Eventually(
      [&] {
        order = client.Get("/api/orders/" + order_id);
        return order.body.find("\"status\":\"COMPLETED\"") != std::string::npos;
      },
      seconds(10)))
      << order.body;
  EXPECT_NE(order.body.find("\"event\":\"created\""), std::string::npos) << order.body;
  EXPECT_NE(order.body.find("\"event\":\"saga started\""), std::string::npos) << order.body;
  EXPECT_NE(order.body.find("\"event\":\"completed\""), std::string::npos) << order.body;
  EXPECT_EQ(order.body.find("\"event\":\"completed\""), order.body.rfind("\"event\":\"completed\"")) << order.body;

  // A malformed message is dead-lettered, acknowledged, and the service stays healthy.
  probe.Publish("orders/completed", "this is not json");
  ASSERT_TRUE(probe.WaitFor([](auto& m) { return !m.empty(); }, seconds(10)));
  EXPECT_NE(probe.messages().front().payload.find("this is not json"), std::string::npos);
  EXPECT_EQ(client.Get("/health").status, 200);
}

TEST_F(OrderServiceTest, ABadFlagExitsNonZeroWithOneLine) {
  auto service = MakeOrderService({}, {"--no-such-flag"});
  service->Start();
  auto code = service->process().WaitExit(seconds(10));
  ASSERT_TRUE(code.has_value());
  EXPECT_NE(*code, 0);
  const std::string log = service->process().Log();
  EXPECT_NE(log.find("no-such-flag"), std::string::npos) << log;
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;
}

TEST_F(OrderServiceTest, ADatabaseFromANewerVersionIsRefused) {
  std::filesystem::create_directories(home_.path() + "/data");
  {
    SQLite::Database db(OrdersDb(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE TABLE schema_versions (component TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL, PRIMARY KEY (component, version)) WITHOUT ROWID;"
        "INSERT INTO schema_versions VALUES ('order', 999, 'future', '2030-01-01T00:00:00.000Z')");
  }
  auto service = MakeOrderService();
  service->Start();
  auto code = service->process().WaitExit(seconds(10));
  ASSERT_TRUE(code.has_value());
  EXPECT_NE(*code, 0);
  EXPECT_NE(service->process().Log().find("newer"), std::string::npos) << service->process().Log();
}

}  // namespace
}  // namespace sagaflow::testing

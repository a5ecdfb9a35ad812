// The whole system — Mosquitto and the five real binaries — running the order saga end to end,
// including kill -9 of each process in the middle of a stream of orders.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>

#include "tests/support/system.h"

namespace sagaflow::testing {
namespace {

using std::chrono::seconds;
using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsSupersetOf;

std::string FormatViolations(const std::vector<verify::Violation>& violations) {
  std::string out;
  for (size_t i = 0; i < violations.size() && i < 20; ++i) out += verify::ToString(violations[i]) + "\n";
  return out;
}

class SagaFlowTest : public ::testing::Test {
 protected:
  void SetUp() override { system_.Start(); }

  std::string PostAndWait(const std::string& body, const std::string& key) {
    auto id = system_.PostOrder(client_, body, key);
    EXPECT_TRUE(id.has_value());
    if (!id) return "";
    EXPECT_TRUE(system_.WaitAllTerminal({*id}, seconds(30))) << system_.Logs();
    return *id;
  }
  std::string Db(const std::string& file) { return system_.data_dir() + "/" + file; }

  System system_;
  HttpClient client_{system_.http_port()};
};

TEST_F(SagaFlowTest, TheSeedOrderCompletesWithItsNotifications) {
  const std::string id = PostAndWait(OrderBody("C123", "P001", 2, "29.99"), "seed");
  EXPECT_EQ(system_.StatusOf(client_, id), "COMPLETED");
  EXPECT_EQ(
      QueryText(Db("payments.db"), "SELECT status || ':' || amount_cents FROM payments WHERE order_id = '" + id + "'"),
      "CHARGED:5998");
  EXPECT_EQ(QueryText(Db("inventory.db"), "SELECT status FROM reservations WHERE order_id = '" + id + "'"), "RESERVED");
  // Confirmation, payment, inventory and completion notices (the completion may trail the status).
  EXPECT_TRUE(Eventually(
      [&] {
        return Query(Db("notifications.db"), "SELECT COUNT(*) FROM notifications WHERE order_id = '" + id + "'") >= 4;
      },
      seconds(10)));
  EXPECT_EQ(QueryText(Db("notifications.db"),
                      "SELECT message FROM notifications WHERE kind = 'order_received' AND order_id = '" + id + "'"),
            "Order confirmation email sent to C123");
  // Each step is in the history, between the start and the outcome (the two steps run at once, in either order).
  std::vector<std::string> history;
  EXPECT_TRUE(Eventually(
      [&] {
        history = system_.HistoryOf(client_, id);
        return history.size() == 5;
      },
      seconds(10)))
      << ::testing::PrintToString(history);
  EXPECT_THAT(history, ElementsAre("created", "saga_started", AnyOf("payment_succeeded", "inventory_succeeded"),
                                   AnyOf("payment_succeeded", "inventory_succeeded"), "completed"));
  EXPECT_THAT(history, Contains("payment_succeeded"));
  EXPECT_THAT(history, Contains("inventory_succeeded"));
  auto violations = system_.WaitGuarantees(seconds(30));
  EXPECT_TRUE(violations.empty()) << FormatViolations(violations);
}

TEST_F(SagaFlowTest, AnOrderOverTheLimitIsCancelledAndItsStockComesBack) {
  const std::string id = PostAndWait(OrderBody("C1", "P002", 1, "10000.01"), "over-limit");
  EXPECT_EQ(system_.StatusOf(client_, id), "CANCELLED");
  EXPECT_NE(client_.Get("/api/orders/" + id).body.find("\"reason\":\"payment_declined\""), std::string::npos);
  EXPECT_EQ(QueryText(Db("payments.db"), "SELECT status FROM payments WHERE order_id = '" + id + "'"), "DECLINED");
  // Why it failed, and what was undone: the reservation if it was made before the decline, else its void.
  std::vector<std::string> history;
  EXPECT_TRUE(Eventually(
      [&] {
        history = system_.HistoryOf(client_, id);
        return !history.empty() && history.back() == "cancelled: payment_declined" &&
               std::count(history.begin(), history.end(), "inventory_compensated") == 1;
      },
      seconds(10)))
      << ::testing::PrintToString(history);
  EXPECT_THAT(history, IsSupersetOf({"created", "saga_started", "payment_failed: payment_declined", "compensating",
                                     "inventory_compensated"}));
  EXPECT_TRUE(Eventually(
      [&] { return Query(Db("inventory.db"), "SELECT available FROM stock WHERE product_id = 'P002'") == 100000; },
      seconds(10)));
  auto violations = system_.WaitGuarantees(seconds(30));
  EXPECT_TRUE(violations.empty()) << FormatViolations(violations);
}

TEST_F(SagaFlowTest, UnknownProductAndOutOfStockAreCancelledWithoutKeepingThePayment) {
  const std::string unknown = PostAndWait(OrderBody("C2", "NO-SUCH-PRODUCT", 1, "5.00"), "unknown");
  const std::string short_of_stock = PostAndWait(OrderBody("C3", "P003", 6, "5.00"), "out-of-stock");
  EXPECT_NE(client_.Get("/api/orders/" + unknown).body.find("\"reason\":\"unknown_product\""), std::string::npos);
  EXPECT_NE(client_.Get("/api/orders/" + short_of_stock).body.find("\"reason\":\"out_of_stock\""), std::string::npos);
  for (const auto& id : {unknown, short_of_stock}) {
    // Charged then refunded, or voided when the refund overtook the charge: never CHARGED.
    const std::string payment =
        QueryText(Db("payments.db"), "SELECT status FROM payments WHERE order_id = '" + id + "'");
    EXPECT_TRUE(payment == "REFUNDED" || payment == "VOIDED") << payment;
  }
  EXPECT_EQ(Query(Db("inventory.db"), "SELECT available FROM stock WHERE product_id = 'P003'"), 5);
  auto violations = system_.WaitGuarantees(seconds(30));
  EXPECT_TRUE(violations.empty()) << FormatViolations(violations);
}

// An order stored before the API refused totals above the limit can never start a saga. Its orders/created
// was dead-lettered at every nudge and the order stayed PENDING; now it is cancelled with invalid_order.
TEST_F(SagaFlowTest, ALegacyOrderAboveTheTotalLimitIsCancelledWithInvalidOrderAndNothingCharged) {
  const std::string id = "legacy-over-limit";
  system_.Kill("order-service");
  {
    SQLite::Database db(Db("orders.db"), SQLite::OPEN_READWRITE);
    db.exec(
        "INSERT INTO orders(order_id, customer_id, status, total_cents, created_at, updated_at, nudge_at) "
        "VALUES ('" +
        id + "', 'C-old', 'PENDING', 10000000000001, '2024-01-15T10:30:00.000Z', '2024-01-15T10:30:00.000Z', 0)");
    db.exec("INSERT INTO order_items(order_id, line, product_id, quantity, price_cents) VALUES ('" + id +
            "', 0, 'P001', 1, 10000000000001)");
  }
  system_.Restart("order-service");  // its nudge publishes the stored order's orders/created

  ASSERT_TRUE(system_.WaitAllTerminal({id}, seconds(30))) << system_.Logs();
  EXPECT_EQ(system_.StatusOf(client_, id), "CANCELLED");
  const std::string order = client_.Get("/api/orders/" + id).body;
  EXPECT_NE(order.find("\"reason\":\"invalid_order\""), std::string::npos) << order;
  EXPECT_NE(order.find("\"event\":\"cancelled: invalid_order\""), std::string::npos) << order;
  EXPECT_EQ(QueryText(Db("orchestrator.db"),
                      "SELECT state || ':' || failure_reason FROM sagas WHERE order_id = '" + id + "'"),
            "CANCELLED:invalid_order");
  EXPECT_EQ(Query(Db("payments.db"), "SELECT COUNT(*) FROM payments WHERE order_id = '" + id + "'"), 0);
  EXPECT_EQ(Query(Db("inventory.db"), "SELECT COUNT(*) FROM reservations WHERE order_id = '" + id + "'"), 0);
  EXPECT_EQ(Query(Db("orchestrator.db"), "SELECT COUNT(*) FROM dead_letters WHERE topic = 'orders/created'"), 0);
  EXPECT_TRUE(Eventually(
      [&] {
        return Query(Db("notifications.db"),
                     "SELECT COUNT(*) FROM notifications WHERE kind = 'order_cancelled' AND "
                     "order_id = '" +
                         id + "'") == 1;
      },
      seconds(10)));
  // Terminal: no more nudges, so the orchestrator hears of it no more.
  EXPECT_TRUE(Eventually(
      [&] { return Query(Db("orders.db"), "SELECT nudge_at IS NULL FROM orders WHERE order_id = '" + id + "'") == 1; },
      seconds(10)));
  auto violations = system_.WaitGuarantees(seconds(30));
  EXPECT_TRUE(violations.empty()) << FormatViolations(violations);
}

TEST_F(SagaFlowTest, TwoOrdersRacingForTheLastUnitHaveExactlyOneWinner) {
  std::vector<std::string> ids;
  for (int i = 0; i < 2; ++i) {
    auto id =
        system_.PostOrder(client_, OrderBody("C" + std::to_string(i), "LAST", 1, "1.00"), "last-" + std::to_string(i));
    ASSERT_TRUE(id);
    ids.push_back(*id);
  }
  ASSERT_TRUE(system_.WaitAllTerminal(ids, seconds(30)));
  int completed = 0;
  for (const auto& id : ids) completed += system_.StatusOf(client_, id) == "COMPLETED" ? 1 : 0;
  EXPECT_EQ(completed, 1);
  EXPECT_EQ(Query(Db("inventory.db"), "SELECT available FROM stock WHERE product_id = 'LAST'"), 0);
  auto violations = system_.WaitGuarantees(seconds(30));
  EXPECT_TRUE(violations.empty()) << FormatViolations(violations);
}

TEST(SagaFlowDelays, AHundredConcurrentOrdersWithTheSeedsDelaysDoNotWaitForEachOther) {
  SystemOptions options;
  options.payment_delay_ms = 1000;
  options.inventory_delay_ms = 800;
  System system(options);
  system.Start();
  std::mutex mu;
  std::vector<std::string> ids;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      HttpClient client(system.http_port());
      for (int i = 0; i < 25; ++i) {
        auto id = system.PostOrder(client, OrderBody("C" + std::to_string(t), "P001", 1, "9.99"),
                                   "delay-" + std::to_string(t) + "-" + std::to_string(i));
        std::lock_guard lock(mu);
        if (id) ids.push_back(*id);
      }
    });
  }
  for (auto& thread : clients) thread.join();
  ASSERT_EQ(ids.size(), 100u);
  // One second of simulated payment per order: run one after another, 100 orders take 100 s. The
  // deadline only holds if the delays overlap.
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(system.WaitAllTerminal(ids, seconds(25))) << system.Logs();
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  std::cout << "100 orders with 1000/800 ms delays terminal " << elapsed.count() << " ms after the last POST\n";
  HttpClient client(system.http_port());
  for (const auto& id : ids) EXPECT_EQ(system.StatusOf(client, id), "COMPLETED");
}

class KillDuringStreamTest : public ::testing::TestWithParam<std::string> {};

TEST_P(KillDuringStreamTest, EveryOrderEndsAndEveryGuaranteeHolds) {
  const std::string victim = GetParam();
  SystemOptions options;
  options.stock["SCARCE"] = 20;  // contested: some orders lose
  System system(options);
  system.Start();

  constexpr int kOrders = 200;
  std::mutex mu;
  std::vector<std::string> ids;
  std::atomic<int> posted{0};
  std::thread driver([&] {
    HttpClient client(system.http_port());
    for (int i = 0; i < kOrders; ++i) {
      std::string body;
      switch (i % 10) {
        case 7:
          body = OrderBody("C7", "P002", 1, "10000.01");
          break;  // declined
        case 8:
          body = OrderBody("C8", "NOPE", 1, "3.00");
          break;  // unknown product
        case 9:
          body = OrderBody("C9", "SCARCE", 1, "4.00");
          break;  // contested
        default:
          body = OrderBody("C" + std::to_string(i % 7), "P001", 1 + i % 3, "12.34");
      }
      auto id = system.PostOrder(client, body, victim + "-" + std::to_string(i), seconds(90));
      if (id) {
        std::lock_guard lock(mu);
        ids.push_back(*id);
      }
      ++posted;
    }
  });
  ASSERT_TRUE(Eventually([&] { return posted >= 60; }, seconds(60)));
  system.Kill(victim);
  ASSERT_TRUE(Eventually([&] { return posted >= 90 || victim == "order-service"; }, seconds(60)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the fault lasts a while, on purpose
  system.Restart(victim);
  driver.join();
  ASSERT_EQ(ids.size(), static_cast<size_t>(kOrders)) << "every POST must eventually be accepted";

  EXPECT_TRUE(system.WaitAllTerminal(ids, seconds(120))) << system.Logs();
  auto violations = system.WaitGuarantees(seconds(60));
  EXPECT_TRUE(violations.empty()) << FormatViolations(violations) << system.Logs();
  HttpClient client(system.http_port());
  int completed = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string status = system.StatusOf(client, ids[i]);
    if (i % 10 == 7 || i % 10 == 8) {
      EXPECT_EQ(status, "CANCELLED") << "order " << i;
    } else if (i % 10 < 7) {
      EXPECT_EQ(status, "COMPLETED") << "order " << i;
    }
    completed += status == "COMPLETED" ? 1 : 0;
  }
  EXPECT_GE(completed, 140);
}

INSTANTIATE_TEST_SUITE_P(EachProcess, KillDuringStreamTest,
                         ::testing::Values("mosquitto", "order-service", "orchestrator", "payment-service",
                                           "inventory-service", "notification-service"),
                         [](const auto& test_param) {
                           std::string name = test_param.param;
                           for (auto& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

}  // namespace
}  // namespace sagaflow::testing

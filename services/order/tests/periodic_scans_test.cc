// Cost must not grow with history: the order service's nudge pass (the only periodic work on orders.db
// besides the outbox and inbox ones, checked in storage/tests/periodic_scans_test.cc) must reach the due orders
// through orders_nudge, not walk the finished ones. Against a history of terminal orders and a few live ones, one
// Nudger::RunOnce must leave Database::FullScanSteps empty.
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/clock.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/random.h"
#include "common/time_format.h"
#include "common/wake_signal.h"
#include "manifest/topics.h"
#include "services/order/nudger.h"
#include "services/order/order_store.h"
#include "services/order/tests/order_service_test.h"
#include "storage/database.h"
#include "storage/outbox.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::order {
namespace {

constexpr int kHistory = 3'000;  // COMPLETED and CANCELLED orders: nudge_at is NULL
constexpr Millis kNudgeAfter{30'000};

using Scans = std::vector<std::pair<std::string, int>>;

class OrderPeriodicScansTest : public OrderServiceTest {
 protected:
  // Migrates a fresh orders.db, writes the history and the live orders, optionally drops `index` (to prove the check
  // would catch its absence), and reopens it as a restarted process would: a connection with no statements yet.
  void Build(const std::string& index = "") {
    const std::string path = (dir_ / "orders.db").string();
    Status created = storage::scratch::CreateMigrated(path, "order", clock_.Now(), [&](storage::UnitOfWork& uow) {
      WriteHistory(uow);
      WriteLiveOrders(uow);
      if (!index.empty()) uow.Exec("DROP INDEX " + index);
    });
    ASSERT_TRUE(created.ok()) << created.ToString();
    ASSERT_NO_FATAL_FAILURE(OpenOrderService(kNudgeAfter));
    nudger_ = std::make_unique<Nudger>(*context_);
  }

  // Finished orders of the last day as the service leaves them: items, history, some with an Idempotency-Key.
  void WriteHistory(storage::UnitOfWork& uow) {
    const TimePoint start = clock_.Now() - std::chrono::hours(24);
    auto& order = uow.Prepare(
        "INSERT INTO orders(order_id, customer_id, status, reason, total_cents, created_at, updated_at, nudge_at, "
        "nudge_count) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)");
    auto& item = uow.Prepare(
        "INSERT INTO order_items(order_id, line, product_id, quantity, price_cents) VALUES (?, ?, ?, ?, ?)");
    auto& history = uow.Prepare("INSERT INTO order_history(order_id, seq, at, event) VALUES (?, ?, ?, ?)");
    auto& key =
        uow.Prepare("INSERT INTO idempotency_keys(idempotency_key, request, order_id, created_at) VALUES (?, ?, ?, ?)");
    for (int i = 0; i < kHistory; ++i) {
      const std::string order_id = "0c9e5a2b-1111-4000-8000-" + std::to_string(100'000'000'000 + i);
      const TimePoint created = start + Millis(i) * 25'000;
      const bool cancelled = i % 10 == 0;
      const std::string created_at = FormatIso8601(created);
      const std::string updated_at = FormatIso8601(created + Millis(1'500));
      order.reset();
      order.bind(1, order_id);
      order.bind(2, "C" + std::to_string(i % 97));
      order.bind(3, cancelled ? "CANCELLED" : "COMPLETED");
      if (cancelled) {
        order.bind(4, "payment_declined");
      } else {
        order.bind(4);
      }
      order.bind(5, 5'997 + i);
      order.bind(6, created_at);
      order.bind(7, updated_at);
      order.bind(8, i % 50 == 0 ? 1 : 0);
      order.exec();
      for (int line = 0; line < 2; ++line) {
        item.reset();
        item.bind(1, order_id);
        item.bind(2, line);
        item.bind(3, "P00" + std::to_string(line + 1));
        item.bind(4, line + 1);
        item.bind(5, line == 0 ? 2'999 : 1'000 + i);
        item.exec();
      }
      const std::vector<std::string> events = {"created", "saga_started", "payment_succeeded",
                                               cancelled ? "cancelled: payment_declined" : "completed"};
      for (size_t seq = 0; seq < events.size(); ++seq) {
        history.reset();
        history.bind(1, order_id);
        history.bind(2, static_cast<int>(seq + 1));
        history.bind(3, seq == 0 ? created_at : updated_at);
        history.bind(4, events[seq]);
        history.exec();
      }
      if (i % 3 == 0) {
        key.reset();
        key.bind(1, "client-key-" + std::to_string(i));
        key.bind(2, R"({"customerId":"C1","items":[{"productId":"P001","quantity":1,"price":"29.99"}]})");
        key.bind(3, order_id);
        key.bind(4, created_at);
        key.exec();
      }
    }
  }

  // Through the production insert, as OrderApi does: three orders due for a nudge by the time the test runs (one
  // PENDING, one PROCESSING nudged before, one FAILED), and one created too recently.
  void WriteLiveOrders(storage::UnitOfWork& uow) {
    const TimePoint now = clock_.Now();
    const struct {
      const char* id;
      std::string_view status;
      Millis age;
    } live[] = {
        {"live-pending", kPending, kNudgeAfter * 2},
        {"live-processing", kProcessing, kNudgeAfter + Millis(1)},
        {"live-failed", kFailed, kNudgeAfter * 9},
        {"live-recent", kPending, kNudgeAfter / 2},
    };
    for (const auto& entry : live) {
      Order order;
      order.order_id = entry.id;
      order.customer_id = "C1";
      order.status = std::string(entry.status);
      order.total_cents = 5'998;
      order.created_at = order.updated_at = FormatIso8601(now - entry.age);
      order.items = {{"P001", 2, 2'999}};
      order.history = {{order.created_at, "created"}};
      store::InsertOrder(uow, order, ToEpochMillis(now - entry.age + kNudgeAfter));
    }
  }

  // The nudge pass; returns how many orders it nudged.
  size_t RunNudge() {
    auto nudged = nudger_->RunOnce();
    EXPECT_TRUE(nudged.ok()) << nudged.status().ToString();
    return nudged.ok() ? *nudged : 0;
  }

  std::set<std::string> NudgedOrderIds() {
    std::set<std::string> ids;
    auto rows = outbox_->LoadUnpublished(10'000);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (!rows.ok()) return ids;
    for (const auto& row : *rows) {
      EXPECT_EQ(row.topic, topics::kOrderCreated);
      simdjson::dom::parser parser;
      std::string_view order_id;
      EXPECT_EQ(parser.parse(row.payload)["orderId"].get_string().get(order_id), simdjson::SUCCESS) << row.payload;
      ids.insert(std::string(order_id));
    }
    return ids;
  }

  std::unique_ptr<Nudger> nudger_;
};

TEST_F(OrderPeriodicScansTest, TheNudgePassDoesNotWalkFinishedOrders) {
  Build();
  EXPECT_EQ(RunNudge(), 3u);
  EXPECT_EQ(RunNudge(), 0u) << "the nudged orders wait for their back-off";
  const Scans scans = db_->FullScanSteps();  // before the test's own reads below

  EXPECT_EQ(NudgedOrderIds(), (std::set<std::string>{"live-failed", "live-pending", "live-processing"}));
  EXPECT_TRUE(scans.empty()) << "periodic statements that walk the history:" << storage::scratch::DescribeScans(scans);
}

// The check itself: without orders_nudge, the nudge's scan is reported.
TEST_F(OrderPeriodicScansTest, WithoutOrdersNudgeTheScanIsCaught) {
  Build("orders_nudge");
  EXPECT_EQ(RunNudge(), 3u);
  const Scans scans = db_->FullScanSteps();
  bool caught = false;
  for (const auto& [sql, steps] : scans) {
    caught = caught || (sql.find("FROM orders WHERE nudge_at IS NOT NULL") != std::string::npos && steps >= kHistory);
  }
  EXPECT_TRUE(caught) << "reported instead:" << storage::scratch::DescribeScans(scans);
}

}  // namespace
}  // namespace sagaflow::order

// Cost must not grow with history: the orchestrator's timer pass (TimerLoop: SagaManager::FireDueTimers,
// then EarliestDeadline) finds the steps whose deadline passed — command time-outs, compensations to send again, and
// outcomes not yet acknowledged by the notification service — through saga_steps_deadline, never by walking the
// finished sagas. Against a history of finished order sagas and a few live ones made by the real order saga, one pass
// must leave Database::FullScanSteps empty. So must the clean-up's pass over the timelines (saga_events), which finds
// the settled ones through saga_events_begun. (The outbox and inbox of orchestrator.db:
// storage/tests/periodic_scans_test.cc.)
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
#include "messaging/consumer.h"
#include "migrations/service_schema.h"
#include "orchestrator/engine/saga_events.h"
#include "orchestrator/engine/saga_manager.h"
#include "orchestrator/order_saga/order_saga.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/outbox.h"
#include "storage/testing/scratch_database.h"
#include "wire/inventory_messages.h"
#include "wire/notification_messages.h"
#include "wire/order_messages.h"
#include "wire/payment_messages.h"

namespace sagaflow::order_saga {
namespace {

constexpr int kHistory = 3'000;  // finished sagas: every step's deadline is NULL
const OrderSagaOptions kOptions{Millis(10'000), 4, 20};

using Scans = std::vector<std::pair<std::string, int>>;
using Sent = std::set<std::pair<std::string, std::string>>;  // (orderId, topic)

bool Caught(const Scans& scans, const std::string& sql_part) {
  for (const auto& [sql, steps] : scans) {
    if (sql.find(sql_part) != std::string::npos && steps >= kHistory) return true;
  }
  return false;
}

class OrchestratorPeriodicScansTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }
  void TearDown() override { Close(); }

  void Open() {
    // A process's own: the manager registers a collector that reads its database.
    metrics_ = std::make_unique<Metrics>();
    auto db = storage::Database::Open({(dir_ / "orchestrator.db").string(), storage::Durability::kNormal});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    outbox_ = std::make_unique<storage::Outbox>(*db_, clock_, new_rows_);
    consumer_ = std::make_unique<messaging::Consumer>(
        *db_, *outbox_, clock_, random_, MakeNullLogger(), *metrics_,
        [](const std::string& reason) { ADD_FAILURE() << "on_fatal: " << reason; });
    manager_ =
        std::make_unique<engine::SagaManager>(registry_, *db_, *outbox_, clock_, random_, MakeNullLogger(), *metrics_);
    ASSERT_TRUE(manager_->Register(*consumer_).ok());
  }
  void Close() {
    manager_.reset();
    consumer_.reset();
    outbox_.reset();
    db_.reset();
    metrics_.reset();
  }

  // Migrates a fresh orchestrator.db, runs the live sagas through the consumer, writes the history, marks the outbox
  // published (as the relay would have), optionally drops `index` (to prove the check would catch its absence), and
  // reopens it as a restarted orchestrator would: a connection with no statements yet.
  void Build(const std::string& index = "") {
    Open();
    ASSERT_TRUE(migrations::MigrateService(*db_, "orchestrator", clock_.Now()).ok());
    // Waiting for both replies: its commands time out.
    Deliver("orders/created", OrderCreated("live-running"));
    // Completed; orders/completed not yet acknowledged, so it is published again.
    Deliver("orders/created", OrderCreated("live-awaiting-ack"));
    Deliver("payments/processed", Reply("live-awaiting-ack", "payment", true));
    Deliver("inventory/reserved", Reply("live-awaiting-ack", "inventory", true));
    // Out of stock: the payment's refund is unconfirmed, so it is sent again.
    Deliver("orders/created", OrderCreated("live-compensating"));
    Deliver("payments/processed", Reply("live-compensating", "payment", true));
    Deliver("inventory/reserved", Reply("live-compensating", "inventory", false));
    // Finished and acknowledged through the real path: history, like the rows below.
    Deliver("orders/created", OrderCreated("live-finished"));
    Deliver("payments/processed", Reply("live-finished", "payment", true));
    Deliver("inventory/reserved", Reply("live-finished", "inventory", true));
    Deliver("notifications/sent", Acknowledgement("live-finished"));

    auto sent = outbox_->LoadUnpublished(1'000);
    ASSERT_TRUE(sent.ok()) << sent.status().ToString();
    std::vector<int64_t> ids;
    for (const auto& row : *sent) ids.push_back(row.id);
    ASSERT_TRUE(outbox_->MarkPublished(ids).ok());
    Status written = db_->Write([&](storage::UnitOfWork& uow) {
      WriteHistory(uow);
      if (!index.empty()) uow.Exec("DROP INDEX " + index);
      return Status::Ok();
    });
    ASSERT_TRUE(written.ok()) << written.ToString();
    Close();
    Open();
  }

  // A day of finished sagas as the engine leaves them: COMPLETED with every step SUCCEEDED, or CANCELLED with the
  // payment refunded; the outcome acknowledged; no deadline anywhere; a timeline of eight events each.
  void WriteHistory(storage::UnitOfWork& uow) {
    const TimePoint start = clock_.Now() - std::chrono::hours(24);
    auto& saga = uow.Prepare(
        "INSERT INTO sagas(saga_id, order_id, definition, state, stage, failure_reason, data, created_at, updated_at) "
        "VALUES (?, ?, 'order', ?, 0, ?, ?, ?, ?)");
    auto& step = uow.Prepare(
        "INSERT INTO saga_steps(saga_id, step, stage, status, attempts, compensation_attempts, deadline, sent_at, "
        "failure_reason, last_reply, updated_at) VALUES (?, ?, ?, ?, 1, ?, NULL, ?, ?, ?, ?)");
    for (int i = 0; i < kHistory; ++i) {
      const std::string suffix = std::to_string(100'000'000'000 + i);
      const std::string saga_id = "3a7b9c1d-3333-4000-8000-" + suffix;
      const std::string order_id = "0c9e5a2b-1111-4000-8000-" + suffix;
      const bool cancelled = i % 10 == 0;
      const TimePoint created = start + Millis(i) * 25'000;
      const std::string updated_at = FormatIso8601(created + Millis(1'500));
      saga.reset();
      saga.bind(1, saga_id);
      saga.bind(2, order_id);
      saga.bind(3, cancelled ? "CANCELLED" : "COMPLETED");
      if (cancelled) {
        saga.bind(4, "out_of_stock");
      } else {
        saga.bind(4);
      }
      saga.bind(5, OrderCreated(order_id));
      saga.bind(6, FormatIso8601(created));
      saga.bind(7, updated_at);
      saga.exec();
      const struct {
        const char* name;
        int stage;
        const char* status;
        int compensation_attempts;
        const char* failure_reason;
        const char* last_reply;
      } steps[] = {
          {"payment", 0, cancelled ? "COMPENSATED" : "SUCCEEDED", cancelled ? 1 : 0, nullptr,
           cancelled ? "compensated" : "success"},
          {"inventory", 0, cancelled ? "FAILED" : "SUCCEEDED", 0, cancelled ? "out_of_stock" : nullptr,
           cancelled ? "failure: out_of_stock" : "success"},
          {"outcome", -1, "SUCCEEDED", 0, nullptr, "acknowledged"},
      };
      for (const auto& entry : steps) {
        step.reset();
        step.bind(1, saga_id);
        step.bind(2, entry.name);
        step.bind(3, entry.stage);
        step.bind(4, entry.status);
        step.bind(5, entry.compensation_attempts);
        step.bind(6, ToEpochMillis(created + Millis(entry.stage < 0 ? 1'400 : 10)));
        if (entry.failure_reason != nullptr) {
          step.bind(7, entry.failure_reason);
        } else {
          step.bind(7);
        }
        step.bind(8, entry.last_reply);
        step.bind(9, updated_at);
        step.exec();
      }
      WriteTimeline(uow, saga_id, created);
    }
  }
  void WriteTimeline(storage::UnitOfWork& uow, const std::string& saga_id, TimePoint created) {
    const engine::EventKind kinds[] = {engine::EventKind::kSagaStarted,  engine::EventKind::kCommandSent,
                                       engine::EventKind::kCommandSent,  engine::EventKind::kReplyApplied,
                                       engine::EventKind::kReplyApplied, engine::EventKind::kStateChanged,
                                       engine::EventKind::kOutcomeSent,  engine::EventKind::kOutcomeAcknowledged};
    int64_t seq = 0;
    for (const engine::EventKind kind : kinds) {
      engine::store::AppendEvent(
          uow,
          {saga_id, ++seq, FormatIso8601(created + Millis(seq * 100)), kind, "", {}, "", R"({"messageId":"m"})", ""});
    }
  }

  void Deliver(const std::string& topic, const std::string& payload) {
    consumer_->Handle(messaging::IncomingMessage{topic, payload});
  }
  std::string NextMessageId() { return "msg-" + std::to_string(++messages_); }
  // orders/created as services/order/order.cc publishes it.
  std::string OrderCreated(const std::string& order_id) {
    return wire::Encode(
        wire::OrderCreated{NextMessageId(), order_id, "C123", {{"P001", 2, 2999}}, 5998, FormatIso8601(clock_.Now())});
  }
  // payments/processed or inventory/reserved as the command services publish them.
  std::string Reply(const std::string& order_id, const std::string& step, bool success) {
    const std::string key = order_id + ":" + step;
    const std::string reason = success ? "" : "out_of_stock";
    if (step == "payment") {
      return wire::Encode(wire::PaymentProcessed{NextMessageId(), order_id, key, "", 5998, success, reason, ""});
    }
    return wire::Encode(wire::InventoryReserved{NextMessageId(), order_id, key, "", success, reason, ""});
  }
  // notifications/sent as services/notification/notifier.cc publishes it.
  std::string Acknowledgement(const std::string& order_id) {
    return wire::Encode(wire::NotificationSent{NextMessageId(), order_id, order_id + ":outcome", "order_completed",
                                               FormatIso8601(clock_.Now())});
  }

  // One pass of TimerLoop; returns how many sagas FireDueTimers handled.
  size_t TimerPass() {
    auto fired = manager_->FireDueTimers();
    EXPECT_TRUE(fired.ok()) << fired.status().ToString();
    auto earliest = manager_->EarliestDeadline();
    EXPECT_TRUE(earliest.ok()) << earliest.status().ToString();
    EXPECT_TRUE(earliest.ok() && earliest->has_value() && **earliest > clock_.Now());
    return fired.ok() ? *fired : 0;
  }

  Sent SentSinceBuild() {
    Sent sent;
    auto rows = outbox_->LoadUnpublished(1'000);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (!rows.ok()) return sent;
    for (const auto& row : *rows) {
      simdjson::dom::parser parser;
      std::string_view order_id;
      EXPECT_EQ(parser.parse(row.payload)["orderId"].get_string().get(order_id), simdjson::SUCCESS) << row.payload;
      sent.insert({std::string(order_id), row.topic});
    }
    return sent;
  }

  storage::scratch::TempDir dir_{"sagaflow-orchestrator-scans"};
  ManualClock clock_;
  SeededRandom random_{42};
  std::unique_ptr<Metrics> metrics_;
  WakeSignal new_rows_;
  const engine::SagaRegistry registry_ = RegistryOf(MakeOrderSaga(kOptions));
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::Outbox> outbox_;
  std::unique_ptr<messaging::Consumer> consumer_;
  std::unique_ptr<engine::SagaManager> manager_;
  int messages_ = 0;
};

TEST_F(OrchestratorPeriodicScansTest, TheTimerPassDoesNotWalkFinishedSagas) {
  Build();
  clock_.Advance(kOptions.step_timeout);
  EXPECT_EQ(TimerPass(), 3u);
  EXPECT_EQ(TimerPass(), 0u) << "the next deadlines are later";
  const Scans scans = db_->FullScanSteps();  // before the test's own reads below

  EXPECT_EQ(SentSinceBuild(), (Sent{{"live-awaiting-ack", "orders/completed"},
                                    {"live-compensating", "payments/refund"},
                                    {"live-running", "inventory/reserve"},
                                    {"live-running", "payments/process"}}));
  EXPECT_TRUE(scans.empty()) << "periodic statements that walk the history:" << storage::scratch::DescribeScans(scans);
}

// The check itself: without saga_steps_deadline, both of the pass's queries are reported.
TEST_F(OrchestratorPeriodicScansTest, WithoutTheDeadlineIndexTheScansAreCaught) {
  Build("saga_steps_deadline");
  clock_.Advance(kOptions.step_timeout);
  EXPECT_EQ(TimerPass(), 3u);
  const Scans scans = db_->FullScanSteps();
  EXPECT_TRUE(Caught(scans, "deadline <= ? ORDER BY deadline")) << storage::scratch::DescribeScans(scans);
  EXPECT_TRUE(Caught(scans, "SELECT MIN(deadline) FROM saga_steps")) << storage::scratch::DescribeScans(scans);
}

// The clean-up's pass over the timelines, once a minute: with nothing old enough it walks nothing, and when a day
// of history is old enough, it deletes a batch through the index, not by walking the sagas or the timelines.
TEST_F(OrchestratorPeriodicScansTest, TheTimelineRetentionPassDoesNotWalkTheHistory) {
  Build();
  auto pruned = engine::store::PruneSettledTimelines(*db_, clock_.Now() - engine::kDefaultTimelineRetention, 10'000);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(*pruned, 0);
  clock_.Advance(engine::kDefaultTimelineRetention + std::chrono::hours(1));
  pruned = engine::store::PruneSettledTimelines(*db_, clock_.Now() - engine::kDefaultTimelineRetention, 10'000);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(*pruned, 10'000) << "a full batch of the history's timelines";
  const Scans scans = db_->FullScanSteps();
  EXPECT_TRUE(scans.empty()) << "periodic statements that walk the history:" << storage::scratch::DescribeScans(scans);
}

// The check itself: without saga_events_begun, the pass walks every timeline.
TEST_F(OrchestratorPeriodicScansTest, WithoutTheTimelinesIndexTheRetentionPassIsCaught) {
  Build("saga_events_begun");
  auto pruned = engine::store::PruneSettledTimelines(*db_, clock_.Now() - engine::kDefaultTimelineRetention, 10'000);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  const Scans scans = db_->FullScanSteps();
  EXPECT_TRUE(Caught(scans, "DELETE FROM saga_events")) << storage::scratch::DescribeScans(scans);
}

// Every GET /metrics refreshes the sagas{state=...} gauge. It once counted every state with "GROUP BY state",
// stepping through every saga ever run; it now counts the unfinished states only, through the sagas_state index.
TEST_F(OrchestratorPeriodicScansTest, TheSagasGaugeDoesNotWalkFinishedSagas) {
  Build();
  metrics_->Render();
  const Scans scans = db_->FullScanSteps();
  EXPECT_EQ(metrics_->Get(R"(sagaflow_sagas{state="RUNNING"})"), 1);
  EXPECT_EQ(metrics_->Get(R"(sagaflow_sagas{state="COMPENSATING"})"), 1);
  EXPECT_TRUE(scans.empty()) << "periodic statements that walk the history:" << storage::scratch::DescribeScans(scans);
}

// The steps still awaiting a reply, which tells a test (or an operator) that nothing is left to re-send: the running
// saga's two commands, the compensating saga's refund, and the finished saga's outcome awaiting its acknowledgement;
// none of the finished history. Counted without walking the history either.
TEST_F(OrchestratorPeriodicScansTest, TheAwaitingStepsGaugeCountsFinishedSagasStillAwaitingAndWalksNothing) {
  Build();
  metrics_->Render();
  const Scans scans = db_->FullScanSteps();
  EXPECT_EQ(metrics_->Get("sagaflow_saga_steps_awaiting"), 4);
  EXPECT_TRUE(scans.empty()) << "periodic statements that walk the history:" << storage::scratch::DescribeScans(scans);
}

}  // namespace
}  // namespace sagaflow::order_saga

// SagaManager with the order saga over a real SQLite file: messages go in through Consumer::Handle, written by
// the services' codec (wire/) as the services write them, and what the saga decides comes out in the outbox,
// committed in the same transaction. Time is a ManualClock.
#include "orchestrator/engine/saga_manager.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "common/json.h"
#include "common/money.h"
#include "messaging/consumer.h"
#include "migrations/service_schema.h"
#include "orchestrator/engine/saga_events.h"
#include "orchestrator/engine/saga_store.h"
#include "orchestrator/engine/timer_loop.h"
#include "orchestrator/order_saga/order_saga.h"
#include "runtime/testing/service_test.h"
#include "storage/migrator.h"
#include "storage/outbox.h"
#include "storage/testing/scratch_database.h"
#include "wire/inventory_messages.h"
#include "wire/notification_messages.h"
#include "wire/order_messages.h"
#include "wire/payment_messages.h"

namespace sagaflow::order_saga {
namespace {

using engine::SagaManager;

const OrderSagaOptions kOptions{Millis(1'000), 3, 3};

struct Sent {
  std::string topic;
  std::string payload;
};

std::string Field(const std::string& json, const std::string& field) {
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, json);
  if (!root.ok()) return "<invalid json>";
  simdjson::dom::element element;
  if ((*root)[field].get(element)) return "<missing>";
  if (element.is_string()) return std::string(element.get_string().value());
  return std::string(simdjson::minify(element));
}

class SagaManagerTest : public runtime::testing::ServiceTest {
 protected:
  SagaManagerTest() : ServiceTest(/*seed=*/42) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SetUpService("orchestrator", "orchestrator.db", durability()));
    manager_ = std::make_unique<SagaManager>(registry_, *db_, *outbox_, clock_, random_, MakeNullLogger(), metrics_);
    ASSERT_TRUE(manager_->Register(*consumer_).ok());
  }

  // NORMAL: these tests need no fsyncs, except those about which commits skip them.
  virtual storage::Durability durability() const { return storage::Durability::kNormal; }

  void Deliver(const std::string& topic, const std::string& payload) { consumer_->Handle({topic, payload, false}); }

  std::string NextMessageId() { return "msg-" + std::to_string(++message_count_); }

  // The messages of the other services, written by their codec (wire/) as the services write them.
  std::string OrderCreated(const std::string& order_id, bool with_items = true, Cents total = 2999) {
    wire::OrderCreated created{NextMessageId(), order_id, "cust-7", {}, total, "2024-01-15T10:30:00.000Z"};
    if (with_items) created.items = {{"p-1", 2, 1000}, {"p-2", 1, 999}};
    return wire::Encode(created);
  }
  std::string PaymentProcessed(const std::string& order_id, bool success, const std::string& reason = "",
                               Cents amount = 2999) {
    return wire::Encode(wire::PaymentProcessed{NextMessageId(), order_id, order_id + ":payment", "pay-1", amount,
                                               success, reason, "2024-01-15T10:30:01.000Z"});
  }
  std::string InventoryReserved(const std::string& order_id, bool success, const std::string& reason = "") {
    return wire::Encode(wire::InventoryReserved{NextMessageId(), order_id, order_id + ":inventory", "res-1", success,
                                                reason, "2024-01-15T10:30:01.000Z"});
  }
  // payments/refunded and inventory/released: always success, with the service's status.
  std::string Undone(const std::string& order_id, const std::string& step, const std::string& status) {
    const std::string key = order_id + ":" + step + ":compensation";
    const std::string at = "2024-01-15T10:30:02.000Z";
    if (step == "payment") return wire::Encode(wire::PaymentRefunded{NextMessageId(), order_id, key, true, status, at});
    return wire::Encode(wire::InventoryReleased{NextMessageId(), order_id, key, true, status, at});
  }
  std::string NotificationSent(const std::string& order_id, const std::string& key) {
    return wire::Encode(
        wire::NotificationSent{NextMessageId(), order_id, key, "order_completed", "2024-01-15T10:30:03.000Z"});
  }

  // The outbox rows appended since the last call, progress messages left out unless asked for. They
  // are marked published now, as the relay would: a step's wait counts from its message's publish.
  std::vector<Sent> TakeSent(bool with_progress = false) {
    auto rows = outbox_->LoadUnpublished(10'000);
    EXPECT_TRUE(rows.ok());
    std::vector<Sent> sent;
    if (!rows.ok()) return sent;
    std::vector<int64_t> ids;
    for (const auto& row : *rows) {
      ids.push_back(row.id);
      if (row.id <= last_row_) continue;
      last_row_ = row.id;
      if (!with_progress && row.topic == "orders/progress") continue;
      sent.push_back({row.topic, row.payload});
    }
    EXPECT_TRUE(outbox_->MarkPublished(ids).ok());
    return sent;
  }
  static std::vector<std::string> Topics(const std::vector<Sent>& sent) {
    std::vector<std::string> topics;
    for (const auto& message : sent) topics.push_back(message.topic);
    return topics;
  }

  std::string SagaState(const std::string& order_id) {
    return storage::scratch::QueryText(*db_, "SELECT state FROM sagas WHERE order_id = ?", order_id).value_or("<none>");
  }
  std::optional<engine::SagaInstance> Load(const std::string& order_id) {
    std::optional<engine::SagaInstance> saga;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     saga = engine::store::LoadByCorrelation(sql, "order", order_id);
                     return Status::Ok();
                   })
                    .ok());
    return saga;
  }
  int64_t Count(const std::string& sql_text) { return storage::scratch::QueryInt(*db_, sql_text).value_or(-1); }
  size_t FireDueTimers() {
    auto fired = manager_->FireDueTimers();
    EXPECT_TRUE(fired.ok()) << fired.status().ToString();
    return fired.ok() ? *fired : 0;
  }
  void Complete(const std::string& order_id) {
    Deliver("orders/created", OrderCreated(order_id));
    Deliver("payments/processed", PaymentProcessed(order_id, true));
    Deliver("inventory/reserved", InventoryReserved(order_id, true));
  }

  // The order's timeline (saga_events), "<seq> <kind>[ <step>][ #<attempt>][ <topic>][ (<detail>)]" each.
  std::vector<engine::SagaEvent> Events(const std::string& order_id) {
    std::vector<engine::SagaEvent> events;
    const auto saga = Load(order_id);
    if (!saga) return events;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     events = engine::store::LoadEvents(sql, saga->saga_id);
                     return Status::Ok();
                   })
                    .ok());
    return events;
  }
  std::vector<std::string> Timeline(const std::string& order_id) {
    std::vector<std::string> described;
    for (const auto& event : Events(order_id)) {
      std::string text = std::to_string(event.seq) + " " + std::string(engine::ToString(event.kind));
      if (!event.step.empty()) text += " " + event.step;
      if (event.attempt) text += " #" + std::to_string(*event.attempt);
      if (!event.topic.empty()) text += " " + event.topic;
      if (!event.detail.empty()) text += " (" + event.detail + ")";
      described.push_back(text);
    }
    return described;
  }

  const engine::SagaRegistry registry_ = RegistryOf(MakeOrderSaga(kOptions));
  std::unique_ptr<SagaManager> manager_;
  int message_count_ = 0;
  int64_t last_row_ = 0;
};

TEST_F(SagaManagerTest, RegistersTheStartTheRepliesAndTheAcknowledgement) {
  EXPECT_EQ(consumer_->Topics(),
            (std::vector<std::string>{"inventory/released", "inventory/reserved", "notifications/sent",
                                      "orders/created", "payments/processed", "payments/refunded"}));
}

TEST_F(SagaManagerTest, OrdersCreatedStartsTheSagaAndAppendsBothCommandsWithTheirKeys) {
  new_rows_.WaitFor(Millis(0));  // consume anything from set-up
  Deliver("orders/created", OrderCreated("o1"));
  EXPECT_TRUE(new_rows_.WaitFor(Millis(0))) << "the outbox append must wake the relay";

  const auto sent = TakeSent(true);
  ASSERT_EQ(Topics(sent), (std::vector<std::string>{"orders/progress", "payments/process", "inventory/reserve"}));
  EXPECT_EQ(Field(sent[0].payload, "event"), "saga_started");
  EXPECT_EQ(Field(sent[0].payload, "status"), "PROCESSING");
  EXPECT_EQ(Field(sent[1].payload, "orderId"), "o1");
  EXPECT_EQ(Field(sent[1].payload, "idempotencyKey"), "o1:payment");
  EXPECT_EQ(Field(sent[1].payload, "customerId"), "cust-7");
  EXPECT_EQ(Field(sent[1].payload, "amount"), "29.99");
  EXPECT_EQ(Field(sent[2].payload, "idempotencyKey"), "o1:inventory");
  EXPECT_EQ(Field(sent[2].payload, "items"), R"([{"productId":"p-1","quantity":2},{"productId":"p-2","quantity":1}])");
  EXPECT_NE(Field(sent[1].payload, "messageId"), Field(sent[2].payload, "messageId"));

  EXPECT_EQ(SagaState("o1"), "RUNNING");
  auto saga = Load("o1");
  ASSERT_TRUE(saga.has_value());
  EXPECT_EQ(saga->definition, "order");
  EXPECT_EQ(saga->Step("payment")->status, engine::StepStatus::kRunning);
  EXPECT_EQ(saga->Step("payment")->attempts, 1);
  EXPECT_EQ(saga->Step("inventory")->deadline, clock_.Now() + Millis(1'000));
  EXPECT_EQ(metrics_.Get("sagaflow_sagas_started_total"), 1);
}

TEST_F(SagaManagerTest, SuccessfulRepliesCompleteTheSagaAndAppendOrdersCompleted) {
  Deliver("orders/created", OrderCreated("o1"));
  TakeSent();
  Deliver("payments/processed", PaymentProcessed("o1", true));
  EXPECT_TRUE(TakeSent().empty());
  Deliver("inventory/reserved", InventoryReserved("o1", true));
  const auto sent = TakeSent();
  ASSERT_EQ(Topics(sent), std::vector<std::string>{"orders/completed"});
  EXPECT_EQ(Field(sent[0].payload, "orderId"), "o1");
  EXPECT_EQ(Field(sent[0].payload, "idempotencyKey"), "o1:outcome");
  EXPECT_EQ(Field(sent[0].payload, "at"), "2024-01-15T10:30:00.000Z");
  EXPECT_EQ(SagaState("o1"), "COMPLETED");

  // Until notification acknowledges it, the outcome is published again on its deadline; then never.
  clock_.Advance(Millis(1'000));
  EXPECT_EQ(FireDueTimers(), 1u);
  EXPECT_EQ(Topics(TakeSent()), std::vector<std::string>{"orders/completed"});
  Deliver("notifications/sent", NotificationSent("o1", "o1:outcome"));
  EXPECT_EQ(Load("o1")->Step(std::string(engine::kOutcomeStep))->status, engine::StepStatus::kSucceeded);
  clock_.Advance(Millis(3'600'000));
  EXPECT_EQ(FireDueTimers(), 0u);
  EXPECT_TRUE(TakeSent().empty());
  auto earliest = manager_->EarliestDeadline();
  ASSERT_TRUE(earliest.ok());
  EXPECT_FALSE(earliest->has_value());
}

TEST_F(SagaManagerTest, FireDueTimersPastTheTimeoutResendsTheCommandsWithTheSameKeys) {
  const TimePoint started = clock_.Now();
  Deliver("orders/created", OrderCreated("o1"));
  const auto first = TakeSent();
  auto earliest = manager_->EarliestDeadline();
  ASSERT_TRUE(earliest.ok());
  ASSERT_TRUE(earliest->has_value());
  EXPECT_EQ(**earliest, started + Millis(1'000));

  clock_.Advance(Millis(999));
  EXPECT_EQ(FireDueTimers(), 0u);
  EXPECT_TRUE(TakeSent().empty());

  clock_.Advance(Millis(1));
  EXPECT_EQ(FireDueTimers(), 1u);
  const auto again = TakeSent();
  ASSERT_EQ(Topics(again), (std::vector<std::string>{"payments/process", "inventory/reserve"}));
  EXPECT_EQ(Field(again[0].payload, "idempotencyKey"), "o1:payment");
  EXPECT_EQ(Field(again[1].payload, "idempotencyKey"), "o1:inventory");
  EXPECT_EQ(Field(again[0].payload, "amount"), Field(first[0].payload, "amount"));
  EXPECT_NE(Field(again[0].payload, "messageId"), Field(first[0].payload, "messageId"));
  EXPECT_EQ(Load("o1")->Step("payment")->attempts, 2);

  // A reply to the re-sent command counts like one to the first.
  Deliver("payments/processed", PaymentProcessed("o1", true));
  Deliver("inventory/reserved", InventoryReserved("o1", true));
  EXPECT_EQ(Topics(TakeSent()), std::vector<std::string>{"orders/completed"});
}

TEST_F(SagaManagerTest, RetriesExhaustedCompensateBothStepsAndCancelWithTimeout) {
  Deliver("orders/created", OrderCreated("o1"));
  Deliver("inventory/reserved", InventoryReserved("o1", true));
  TakeSent();
  for (int i = 0; i < 2; ++i) {
    clock_.Advance(Millis(10'000));
    EXPECT_EQ(FireDueTimers(), 1u);
    EXPECT_EQ(Topics(TakeSent()), std::vector<std::string>{"payments/process"});
  }
  clock_.Advance(Millis(10'000));
  EXPECT_EQ(FireDueTimers(), 1u);
  EXPECT_EQ(Topics(TakeSent()), (std::vector<std::string>{"payments/refund", "inventory/release"}));
  EXPECT_EQ(SagaState("o1"), "COMPENSATING");
  Deliver("payments/processed", PaymentProcessed("o1", true));  // late: recorded, refunded anyway
  EXPECT_TRUE(TakeSent().empty());
  EXPECT_EQ(Load("o1")->Step("payment")->last_reply, "late: success");
  Deliver("payments/refunded", Undone("o1", "payment", "REFUNDED"));
  Deliver("inventory/released", Undone("o1", "inventory", "RELEASED"));
  const auto sent = TakeSent();
  ASSERT_EQ(Topics(sent), std::vector<std::string>{"orders/cancelled"});
  EXPECT_EQ(Field(sent[0].payload, "reason"), "timeout");
  EXPECT_EQ(SagaState("o1"), "CANCELLED");
}

TEST_F(SagaManagerTest, ADeclinedPaymentReleasesTheReservationAndCancels) {
  Deliver("orders/created", OrderCreated("o1"));
  Deliver("inventory/reserved", InventoryReserved("o1", true));
  TakeSent();
  Deliver("payments/processed", PaymentProcessed("o1", false, "payment_declined"));
  const auto release = TakeSent();
  ASSERT_EQ(Topics(release), std::vector<std::string>{"inventory/release"});
  EXPECT_EQ(Field(release[0].payload, "idempotencyKey"), "o1:inventory:compensation");
  Deliver("inventory/released", Undone("o1", "inventory", "RELEASED"));
  const auto sent = TakeSent();
  ASSERT_EQ(Topics(sent), std::vector<std::string>{"orders/cancelled"});
  EXPECT_EQ(Field(sent[0].payload, "reason"), "payment_declined");
  EXPECT_EQ(SagaState("o1"), "CANCELLED");
}

TEST_F(SagaManagerTest, ARepeatedOrdersCreatedForAFinishedSagaAppendsItsOutcomeAgain) {
  Complete("o1");
  EXPECT_EQ(Topics(TakeSent()),
            (std::vector<std::string>{"payments/process", "inventory/reserve", "orders/completed"}));
  Deliver("orders/created", OrderCreated("o1"));  // the order service's nudge: a new message id
  const auto sent = TakeSent();
  ASSERT_EQ(Topics(sent), std::vector<std::string>{"orders/completed"});
  EXPECT_EQ(Field(sent[0].payload, "idempotencyKey"), "o1:outcome");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sagas"), 1);
  EXPECT_EQ(metrics_.Get("sagaflow_sagas_started_total"), 1);
}

// A relay that fell behind makes the order service nudge: each nudge must not queue one more copy of an outcome
// whose last copy has not left yet, or the backlog feeds itself.
TEST_F(SagaManagerTest, ARepeatedOrdersCreatedWhileTheOutcomeIsStillInOurOutboxQueuesNoOtherCopy) {
  Complete("o1");  // orders/completed appended, not published
  Deliver("orders/created", OrderCreated("o1"));
  Deliver("orders/created", OrderCreated("o1"));
  EXPECT_EQ(Topics(TakeSent()),
            (std::vector<std::string>{"payments/process", "inventory/reserve", "orders/completed"}));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM saga_events WHERE kind = 'start_repeated'"), 2);
  EXPECT_EQ(storage::scratch::QueryText(*db_, "SELECT detail FROM saga_events WHERE kind = 'start_repeated' LIMIT 1"),
            "saga is COMPLETED: its outcome is still in our outbox, nothing sent");

  Deliver("orders/created", OrderCreated("o1"));  // published now: the nudge gets its copy
  const auto sent = TakeSent();
  ASSERT_EQ(Topics(sent), std::vector<std::string>{"orders/completed"});
  EXPECT_EQ(Field(sent[0].payload, "idempotencyKey"), "o1:outcome");
}

TEST_F(SagaManagerTest, ARepeatedOrdersCreatedForARunningSagaSendsNothing) {
  Deliver("orders/created", OrderCreated("o1"));
  TakeSent();
  Deliver("orders/created", OrderCreated("o1"));
  EXPECT_TRUE(TakeSent(true).empty());
  EXPECT_EQ(Load("o1")->Step("payment")->attempts, 1);
}

// The orchestrator claims no inbox (Dedupe::kByHandler): the engine itself must leave a redelivered
// message without effect.
TEST_F(SagaManagerTest, ARedeliveredMessageIsHandledOnce) {
  const std::string created = OrderCreated("o1");
  Deliver("orders/created", created);
  TakeSent();
  const std::string reply = PaymentProcessed("o1", false, "payment_declined");
  Deliver("payments/processed", reply);
  EXPECT_EQ(Topics(TakeSent()), std::vector<std::string>{"inventory/release"});
  consumer_->Handle({"payments/processed", reply, true});
  consumer_->Handle({"orders/created", created, true});
  EXPECT_TRUE(TakeSent(true).empty());
  EXPECT_EQ(SagaState("o1"), "COMPENSATING");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM inbox"), 0);
}

TEST_F(SagaManagerTest, RedeliveredRepliesAndAcknowledgementOfACompletedSagaChangeNothing) {
  const std::string payment = PaymentProcessed("o1", true);
  const std::string inventory = InventoryReserved("o1", true);
  const std::string ack = NotificationSent("o1", "o1:outcome");
  Deliver("orders/created", OrderCreated("o1"));
  Deliver("payments/processed", payment);
  Deliver("inventory/reserved", inventory);
  Deliver("notifications/sent", ack);
  EXPECT_EQ(Topics(TakeSent()),
            (std::vector<std::string>{"payments/process", "inventory/reserve", "orders/completed"}));
  const auto before = Load("o1");
  ASSERT_TRUE(before.has_value());

  consumer_->Handle({"inventory/reserved", inventory, true});
  consumer_->Handle({"payments/processed", payment, true});
  consumer_->Handle({"notifications/sent", ack, true});
  EXPECT_TRUE(TakeSent(true).empty());
  const auto after = Load("o1");
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(SagaState("o1"), "COMPLETED");
  for (const char* step : {"payment", "inventory", "outcome"}) {
    EXPECT_EQ(after->Step(step)->status, before->Step(step)->status) << step;
    EXPECT_EQ(after->Step(step)->attempts, before->Step(step)->attempts) << step;
    EXPECT_FALSE(after->Step(step)->deadline.has_value()) << step;
  }
}

// What the timeline costs a completed order, which the benchmark's throughput pays for: eight rows, each message
// in and out once (the progress events are not recorded: they restate the timeline), and the bookkeeping around them.
TEST_F(SagaManagerTest, ACompletedOrdersTimelineIsEightRowsThatKeepItsMessagesAsTheyWent) {
  const std::vector<std::string> received{OrderCreated("o1"), PaymentProcessed("o1", true),
                                          InventoryReserved("o1", true), NotificationSent("o1", "o1:outcome")};
  const std::vector<std::string> topics{"orders/created", "payments/processed", "inventory/reserved",
                                        "notifications/sent"};
  for (size_t i = 0; i < received.size(); ++i) Deliver(topics[i], received[i]);
  const auto sent = TakeSent();
  ASSERT_EQ(Topics(sent), (std::vector<std::string>{"payments/process", "inventory/reserve", "orders/completed"}));

  EXPECT_EQ(Timeline("o1"), (std::vector<std::string>{
                                "1 saga_started orders/created (order version 2)",
                                "2 command_sent payment #1 payments/process",
                                "3 command_sent inventory #1 inventory/reserve",
                                "4 reply_applied payment payments/processed (success)",
                                "5 reply_applied inventory inventory/reserved (success)",
                                "6 state_changed (RUNNING -> COMPLETED)",
                                "7 outcome_sent outcome #1 orders/completed",
                                "8 outcome_acknowledged outcome notifications/sent (acknowledged)",
                            }));
  const auto events = Events("o1");
  ASSERT_EQ(events.size(), 8U);
  EXPECT_EQ(events[0].payload, received[0]);
  EXPECT_EQ(events[1].payload, sent[0].payload);
  EXPECT_EQ(events[2].payload, sent[1].payload);
  EXPECT_EQ(events[3].payload, received[1]);
  EXPECT_EQ(events[4].payload, received[2]);
  EXPECT_EQ(events[6].payload, sent[2].payload);
  EXPECT_EQ(events[7].payload, received[3]);

  // The bytes of the values stored (SQLite adds a record header of about 10 bytes a row, and B-tree cells).
  size_t messages = 0;
  for (const auto& message : received) messages += message.size();
  for (const auto& message : sent) messages += message.payload.size();
  const int64_t payload_bytes = Count("SELECT SUM(length(payload)) FROM saga_events");
  const int64_t value_bytes = Count(
      "SELECT SUM(length(saga_id) + 8 + length(at) + length(kind) + coalesce(length(step), 0) + 8 * (attempt IS NOT "
      "NULL) + coalesce(length(topic), 0) + coalesce(length(payload), 0) + coalesce(length(detail), 0)) "
      "FROM saga_events");
  EXPECT_EQ(payload_bytes, static_cast<int64_t>(messages)) << "each message once, as it went";
  std::cout << "[ timeline ] a completed order: " << events.size() << " rows, " << value_bytes << " bytes of values ("
            << payload_bytes << " of them the messages)\n";
  RecordProperty("timeline_rows", static_cast<int>(events.size()));
  RecordProperty("timeline_value_bytes", static_cast<int>(value_bytes));
}

TEST_F(SagaManagerTest, ADeclinedOrdersTimelineShowsTheDeclineTheReleaseAndTheCancellation) {
  Deliver("orders/created", OrderCreated("o1"));
  Deliver("inventory/reserved", InventoryReserved("o1", true));
  const std::string declined = PaymentProcessed("o1", false, "payment_declined");
  Deliver("payments/processed", declined);
  Deliver("inventory/released", Undone("o1", "inventory", "RELEASED"));
  EXPECT_EQ(Timeline("o1"), (std::vector<std::string>{
                                "1 saga_started orders/created (order version 2)",
                                "2 command_sent payment #1 payments/process",
                                "3 command_sent inventory #1 inventory/reserve",
                                "4 reply_applied inventory inventory/reserved (success)",
                                "5 reply_applied payment payments/processed (failure: payment_declined)",
                                "6 state_changed (RUNNING -> COMPENSATING: payment_declined)",
                                "7 compensation_sent inventory #1 inventory/release",
                                "8 compensation_confirmed inventory inventory/released (compensation success)",
                                "9 state_changed (COMPENSATING -> CANCELLED: payment_declined)",
                                "10 outcome_sent outcome #1 orders/cancelled",
                            }));
  const auto events = Events("o1");
  ASSERT_EQ(events.size(), 10U);
  EXPECT_EQ(events[4].payload, declined);
  const auto sent = TakeSent();
  ASSERT_EQ(Topics(sent), (std::vector<std::string>{"payments/process", "inventory/reserve", "inventory/release",
                                                    "orders/cancelled"}));
  EXPECT_EQ(events[6].payload, sent[2].payload);
  EXPECT_EQ(events[9].payload, sent[3].payload);
}

class SagaManagerWithFullSyncTest : public SagaManagerTest {
 protected:
  storage::Durability durability() const override { return storage::Durability::kFull; }
};

TEST_F(SagaManagerWithFullSyncTest, NoMessageOfASagaWaitsForTheDiskWhereItIsConsumed) {
  // The relay waits for the disk before anything leaves; consuming never does.
  Deliver("orders/created", OrderCreated("o1"));
  Deliver("payments/processed", PaymentProcessed("o1", true));
  Deliver("inventory/reserved", InventoryReserved("o1", true));
  Deliver("notifications/sent", NotificationSent("o1", "o1:outcome"));
  EXPECT_EQ(Load("o1")->Step("outcome")->status, engine::StepStatus::kSucceeded);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM saga_events"), 8) << "the timeline commits with the decisions";
  EXPECT_EQ(db_->commit_stats().syncs, 0);
  EXPECT_GE(db_->commit_stats().transactions, 4);
}

// An orders/created the saga cannot run was dead-lettered, and the order service nudged it for ever while the
// order stayed PENDING; now the order is cancelled with a reason the customer is told.
TEST_F(SagaManagerTest, AnInvalidOrdersCreatedCancelsTheOrderWithInvalidOrderAndChargesNothing) {
  Deliver("orders/created", OrderCreated("o1", /*with_items=*/false));
  const auto sent = TakeSent(true);
  ASSERT_EQ(Topics(sent), std::vector<std::string>{"orders/cancelled"});
  EXPECT_EQ(Field(sent[0].payload, "orderId"), "o1");
  EXPECT_EQ(Field(sent[0].payload, "reason"), "invalid_order");
  EXPECT_EQ(Field(sent[0].payload, "idempotencyKey"), "o1:outcome");
  EXPECT_EQ(SagaState("o1"), "CANCELLED");
  const auto saga = Load("o1");
  ASSERT_TRUE(saga.has_value());
  EXPECT_EQ(saga->failure_reason, "invalid_order");
  EXPECT_EQ(saga->Step("payment")->status, engine::StepStatus::kPending);
  EXPECT_EQ(saga->Step("inventory")->status, engine::StepStatus::kPending);
  EXPECT_EQ(saga->Step("outcome")->status, engine::StepStatus::kRunning);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dead_letters"), 0);
  EXPECT_EQ(metrics_.Get("sagaflow_sagas_rejected_total"), 1);
  EXPECT_EQ(metrics_.Get("sagaflow_sagas_started_total"), 0);
  EXPECT_EQ(metrics_.Get("sagaflow_sagas_finished_total{state=\"CANCELLED\"}"), 1);
}

TEST_F(SagaManagerTest, AnOrderAboveTheTotalLimitIsCancelledAndEveryNudgeRepublishesTheOutcome) {
  Deliver("orders/created", OrderCreated("o1", true, 10'000'000'000'001));
  auto sent = TakeSent(true);
  ASSERT_EQ(Topics(sent), std::vector<std::string>{"orders/cancelled"});
  EXPECT_EQ(Field(sent[0].payload, "reason"), "invalid_order");

  Deliver("orders/created", OrderCreated("o1", true, 10'000'000'000'001));  // the order service's nudge
  sent = TakeSent(true);
  ASSERT_EQ(Topics(sent), std::vector<std::string>{"orders/cancelled"});
  EXPECT_EQ(Field(sent[0].payload, "reason"), "invalid_order");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sagas"), 1);
  EXPECT_EQ(metrics_.Get("sagaflow_sagas_rejected_total"), 1);

  // Until the notification service acknowledges it, the outcome is re-sent on its own too; after, only nudges.
  clock_.Advance(Millis(1'000));
  EXPECT_EQ(FireDueTimers(), 1u);
  EXPECT_EQ(Topics(TakeSent()), std::vector<std::string>{"orders/cancelled"});
  Deliver("notifications/sent", NotificationSent("o1", "o1:outcome"));
  clock_.Advance(Millis(3'600'000));
  EXPECT_EQ(FireDueTimers(), 0u);
  Deliver("orders/created", OrderCreated("o1", true, 10'000'000'000'001));
  EXPECT_EQ(Topics(TakeSent(true)), std::vector<std::string>{"orders/cancelled"});
  EXPECT_EQ(SagaState("o1"), "CANCELLED");

  Deliver("orders/created", OrderCreated("o2", true, 10'000'000'000'000));
  EXPECT_EQ(Topics(TakeSent()), (std::vector<std::string>{"payments/process", "inventory/reserve"}))
      << "the limit itself is allowed";
  EXPECT_EQ(SagaState("o2"), "RUNNING");
}

TEST_F(SagaManagerTest, AnOrdersCreatedWithoutAnOrderIdIsDeadLettered) {
  Deliver("orders/created",
          R"({"messageId":"m-1","customerId":"c","items":[{"productId":"p","quantity":1}],"totalAmount":1.00})");
  EXPECT_EQ(Topics(TakeSent(true)), std::vector<std::string>{"deadletter/orders/created"});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sagas"), 0);
  EXPECT_EQ(metrics_.Get("sagaflow_sagas_rejected_total"), 0);
}

TEST_F(SagaManagerTest, ADefinitionWithoutARejectedStartReasonDeadLettersARejectedStart) {
  engine::SagaDefinition definition = MakeOrderSaga(kOptions);
  definition.rejected_start_reason.clear();
  messaging::Consumer consumer(*db_, *outbox_, clock_, random_, MakeNullLogger(), metrics_, RecordFatal());
  const engine::SagaRegistry registry = RegistryOf(std::move(definition));
  SagaManager manager(registry, *db_, *outbox_, clock_, random_, MakeNullLogger(), metrics_);
  ASSERT_TRUE(manager.Register(consumer).ok());
  const std::string invalid = OrderCreated("o1", /*with_items=*/false);
  consumer.Handle({"orders/created", invalid, false});
  const auto sent = TakeSent(true);
  ASSERT_EQ(Topics(sent), std::vector<std::string>{"deadletter/orders/created"});
  EXPECT_EQ(Field(sent[0].payload, "payload"), invalid);
  EXPECT_NE(Field(sent[0].payload, "error").find("items"), std::string::npos) << sent[0].payload;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dead_letters WHERE topic = 'orders/created'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sagas"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM saga_steps"), 0);
}

// A charge reported after the saga recorded the payment declined was only counted and logged, and a charge
// could survive on a cancelled order; now it is refunded under the compensation's key.
TEST_F(SagaManagerTest, ALateChargeAfterADeclineIsRefundedBeforeTheSagaEnds) {
  Deliver("orders/created", OrderCreated("o1"));
  Deliver("inventory/reserved", InventoryReserved("o1", true));
  Deliver("payments/processed", PaymentProcessed("o1", false, "payment_declined"));
  EXPECT_EQ(Topics(TakeSent()),
            (std::vector<std::string>{"payments/process", "inventory/reserve", "inventory/release"}));
  Deliver("payments/processed", PaymentProcessed("o1", false, "payment_declined"));  // a repeat: no contradiction
  EXPECT_EQ(metrics_.Get("sagaflow_late_contradictions_total"), 0);
  EXPECT_TRUE(TakeSent().empty());

  Deliver("payments/processed", PaymentProcessed("o1", true));
  const auto refund = TakeSent();
  ASSERT_EQ(Topics(refund), std::vector<std::string>{"payments/refund"});
  EXPECT_EQ(Field(refund[0].payload, "idempotencyKey"), "o1:payment:compensation");
  EXPECT_EQ(Field(refund[0].payload, "amount"), "29.99");
  EXPECT_EQ(metrics_.Get("sagaflow_late_contradictions_total"), 1);
  EXPECT_EQ(metrics_.Get("sagaflow_late_compensations_total"), 1);
  auto saga = Load("o1");
  ASSERT_TRUE(saga.has_value());
  EXPECT_EQ(saga->Step("payment")->status, engine::StepStatus::kCompensating);
  EXPECT_EQ(saga->Step("payment")->last_reply, "late: success after payment_declined: compensating");
  EXPECT_TRUE(saga->Step("payment")->deadline.has_value());

  Deliver("inventory/released", Undone("o1", "inventory", "RELEASED"));
  EXPECT_TRUE(TakeSent().empty()) << "the outcome waits for the refund";
  EXPECT_EQ(SagaState("o1"), "COMPENSATING");
  Deliver("payments/refunded", Undone("o1", "payment", "REFUNDED"));
  const auto sent = TakeSent();
  ASSERT_EQ(Topics(sent), std::vector<std::string>{"orders/cancelled"});
  EXPECT_EQ(Field(sent[0].payload, "reason"), "payment_declined");
  EXPECT_EQ(SagaState("o1"), "CANCELLED");
}

TEST_F(SagaManagerTest, ALateChargeAfterCancelledIsRefundedUntilConfirmedAcrossARestartAndTheOutcomeStays) {
  Deliver("orders/created", OrderCreated("o1"));
  Deliver("payments/processed", PaymentProcessed("o1", false, "payment_declined"));
  Deliver("inventory/released", Undone("o1", "inventory", "VOIDED"));
  EXPECT_EQ(Topics(TakeSent()), (std::vector<std::string>{"payments/process", "inventory/reserve", "inventory/release",
                                                          "orders/cancelled"}));
  Deliver("notifications/sent", NotificationSent("o1", "o1:outcome"));
  EXPECT_EQ(SagaState("o1"), "CANCELLED");

  Deliver("payments/processed", PaymentProcessed("o1", true));
  const auto late = TakeSent(true);
  ASSERT_EQ(Topics(late), (std::vector<std::string>{"orders/progress", "payments/refund"})) << "no new outcome";
  EXPECT_EQ(Field(late[0].payload, "event"), "payment_succeeded_late");
  EXPECT_EQ(SagaState("o1"), "CANCELLED");
  EXPECT_EQ(Load("o1")->Step("payment")->status, engine::StepStatus::kCompensating);
  Deliver("payments/processed", PaymentProcessed("o1", true));  // the same reply again: one refund is enough
  EXPECT_TRUE(TakeSent(true).empty());
  EXPECT_EQ(metrics_.Get("sagaflow_late_compensations_total"), 1);

  // More sends than the compensation's attempts: a cancelled saga has no FAILED to go to.
  for (int i = 0; i < kOptions.compensation_attempts + 2; ++i) {
    clock_.Advance(Millis(10'000));
    EXPECT_EQ(FireDueTimers(), 1u);
    EXPECT_EQ(Topics(TakeSent(true)), std::vector<std::string>{"payments/refund"});
  }
  EXPECT_EQ(SagaState("o1"), "CANCELLED");

  manager_.reset();  // the orchestrator dies; a new one finds the refund in the file
  Metrics metrics;
  messaging::Consumer consumer(*db_, *outbox_, clock_, random_, MakeNullLogger(), metrics, RecordFatal());
  SagaManager manager(registry_, *db_, *outbox_, clock_, random_, MakeNullLogger(), metrics);
  ASSERT_TRUE(manager.Register(consumer).ok());
  clock_.Advance(Millis(10'000));
  auto fired = manager.FireDueTimers();
  ASSERT_TRUE(fired.ok());
  EXPECT_EQ(*fired, 1u);
  const auto again = TakeSent(true);
  ASSERT_EQ(Topics(again), std::vector<std::string>{"payments/refund"});
  EXPECT_EQ(Field(again[0].payload, "idempotencyKey"), "o1:payment:compensation");

  consumer.Handle({"payments/refunded", Undone("o1", "payment", "REFUNDED"), false});
  const auto refunded = TakeSent(true);
  ASSERT_EQ(Topics(refunded), std::vector<std::string>{"orders/progress"}) << "no new outcome";
  EXPECT_EQ(Field(refunded[0].payload, "event"), "payment_compensated");
  EXPECT_EQ(Load("o1")->Step("payment")->status, engine::StepStatus::kCompensated);
  EXPECT_EQ(SagaState("o1"), "CANCELLED");
  auto earliest = manager.EarliestDeadline();
  ASSERT_TRUE(earliest.ok());
  EXPECT_FALSE(earliest->has_value());
}

TEST_F(SagaManagerTest, ALateContradictionThatNeedsNoActionIsCountedAndSendsNothing) {
  Complete("o1");
  TakeSent();
  Deliver("payments/processed", PaymentProcessed("o1", false, "payment_declined"));
  EXPECT_TRUE(TakeSent(true).empty());
  EXPECT_EQ(metrics_.Get("sagaflow_late_contradictions_total"), 1);
  EXPECT_EQ(metrics_.Get("sagaflow_late_compensations_total"), 0);
  EXPECT_EQ(Load("o1")->Step("payment")->status, engine::StepStatus::kSucceeded);
  EXPECT_EQ(SagaState("o1"), "COMPLETED");
}

// A refund that overtook the charge leaves the payment VOIDED and the charge refused, and one after the charge
// refunded it: once the compensation is confirmed, a late success needs nothing more.
TEST_F(SagaManagerTest, ALateChargeAfterTheRefundWasConfirmedSendsNothing) {
  Deliver("orders/created", OrderCreated("o1"));
  Deliver("inventory/reserved", InventoryReserved("o1", false, "out_of_stock"));
  EXPECT_EQ(Topics(TakeSent()), (std::vector<std::string>{"payments/process", "inventory/reserve", "payments/refund"}));
  Deliver("payments/refunded", Undone("o1", "payment", "VOIDED"));
  EXPECT_EQ(Topics(TakeSent()), std::vector<std::string>{"orders/cancelled"});
  Deliver("payments/processed", PaymentProcessed("o1", true));
  EXPECT_TRUE(TakeSent(true).empty());
  EXPECT_EQ(metrics_.Get("sagaflow_late_compensations_total"), 0);
  EXPECT_EQ(Load("o1")->Step("payment")->status, engine::StepStatus::kCompensated);
}

TEST_F(SagaManagerTest, AChargeOfAnotherAmountIsNotTheAnswerToOurCommandAndChangesNothing) {
  Deliver("orders/created", OrderCreated("o1"));
  TakeSent();
  Deliver("payments/processed", PaymentProcessed("o1", true, "", 1));
  EXPECT_TRUE(TakeSent().empty());
  EXPECT_EQ(Load("o1")->Step("payment")->status, engine::StepStatus::kRunning);
  EXPECT_EQ(metrics_.Get("sagaflow_replies_ignored_total"), 1);
  Deliver("payments/processed", PaymentProcessed("o1", true));  // the real answer still counts
  EXPECT_EQ(Load("o1")->Step("payment")->status, engine::StepStatus::kSucceeded);
}

TEST_F(SagaManagerTest, AReplyWithoutAnIdempotencyKeyIsDeadLettered) {
  Deliver("orders/created", OrderCreated("o1"));
  TakeSent();
  Deliver("payments/processed", R"({"messageId":"m-x","orderId":"o1","success":true})");
  EXPECT_EQ(Topics(TakeSent()), std::vector<std::string>{"deadletter/payments/processed"});
  EXPECT_EQ(Load("o1")->Step("payment")->status, engine::StepStatus::kRunning);
}

TEST_F(SagaManagerTest, AReplyForAnUnknownSagaIsIgnored) {
  Deliver("payments/processed", PaymentProcessed("nobody", true));
  EXPECT_TRUE(TakeSent(true).empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dead_letters"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sagas"), 0);
}

TEST_F(SagaManagerTest, RedriveOfAnUnknownIdIsNotFound) {
  auto result = manager_->Redrive("no-such-order");
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsNotFound()) << result.status().ToString();
}

TEST_F(SagaManagerTest, RedriveOfAFailedSagaByOrderIdOrSagaIdCompensatesAgainAndCancels) {
  Deliver("orders/created", OrderCreated("o1"));
  Deliver("payments/processed", PaymentProcessed("o1", true));
  Deliver("inventory/reserved", InventoryReserved("o1", false, "out_of_stock"));
  EXPECT_EQ(Topics(TakeSent()), (std::vector<std::string>{"payments/process", "inventory/reserve", "payments/refund"}));
  std::vector<Sent> resent;
  for (int i = 0; i < kOptions.compensation_attempts; ++i) {
    clock_.Advance(Millis(10'000));
    EXPECT_EQ(FireDueTimers(), 1u);
    for (auto& message : TakeSent()) resent.push_back(std::move(message));
  }
  EXPECT_EQ(Topics(resent), (std::vector<std::string>{"payments/refund", "payments/refund"}));
  EXPECT_EQ(SagaState("o1"), "FAILED");
  auto earliest = manager_->EarliestDeadline();
  ASSERT_TRUE(earliest.ok());
  EXPECT_FALSE(earliest->has_value());

  const std::string saga_id = Load("o1")->saga_id;
  auto result = manager_->Redrive(saga_id);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_NE(result->find("was FAILED, is COMPENSATING"), std::string::npos) << *result;
  EXPECT_EQ(Topics(TakeSent()), std::vector<std::string>{"payments/refund"});
  Deliver("payments/refunded", Undone("o1", "payment", "REFUNDED"));
  const auto sent = TakeSent();
  ASSERT_EQ(Topics(sent), std::vector<std::string>{"orders/cancelled"});
  EXPECT_EQ(Field(sent[0].payload, "reason"), "out_of_stock");
  EXPECT_EQ(SagaState("o1"), "CANCELLED");

  auto again = manager_->Redrive("o1");  // by order id: the unacknowledged outcome goes out again
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Topics(TakeSent()), std::vector<std::string>{"orders/cancelled"});
}

// Regression: under overload the relay fell behind, the step time-outs (counted from the append) expired
// while the commands were still queued in our own outbox, and every saga sent its commands again.
TEST_F(SagaManagerTest, AStepTimesOutOnlyAfterItsCommandLeftTheOutbox) {
  Deliver("orders/created", OrderCreated("o1"));  // appended, not published: the relay is behind
  clock_.Advance(Millis(5'000));
  EXPECT_EQ(FireDueTimers(), 0u) << "a command still in our own outbox has not timed out";
  EXPECT_EQ(Load("o1")->Step("payment")->attempts, 1);
  EXPECT_EQ(**manager_->EarliestDeadline(), clock_.Now() + Millis(1'000)) << "looked at again a wait later";

  clock_.Advance(Millis(400));
  const TimePoint published = clock_.Now();
  EXPECT_EQ(Topics(TakeSent()), (std::vector<std::string>{"payments/process", "inventory/reserve"}));
  clock_.Advance(Millis(600));  // the old deadline passes: the wait since the publish is not over
  EXPECT_EQ(FireDueTimers(), 0u);
  EXPECT_EQ(**manager_->EarliestDeadline(), published + Millis(1'000));
  EXPECT_TRUE(TakeSent().empty());

  clock_.Advance(Millis(400));  // a full wait after the publish
  EXPECT_EQ(FireDueTimers(), 1u);
  EXPECT_EQ(Topics(TakeSent()), (std::vector<std::string>{"payments/process", "inventory/reserve"}));
  EXPECT_EQ(Load("o1")->Step("payment")->attempts, 2);
}

TEST_F(SagaManagerTest, AnUnacknowledgedOutcomeIsResentOnlyAfterItWasPublished) {
  Complete("o1");
  clock_.Advance(Millis(2'000));
  EXPECT_EQ(FireDueTimers(), 0u) << "orders/completed still queued";
  EXPECT_EQ(Topics(TakeSent()),
            (std::vector<std::string>{"payments/process", "inventory/reserve", "orders/completed"}));
  clock_.Advance(Millis(1'000));
  EXPECT_EQ(FireDueTimers(), 1u);
  EXPECT_EQ(Topics(TakeSent()), std::vector<std::string>{"orders/completed"});
}

TEST_F(SagaManagerTest, TimersOfManySagasAreAllFiredInOnePass) {
  for (int i = 0; i < 130; ++i) Deliver("orders/created", OrderCreated("o" + std::to_string(i)));
  TakeSent();
  clock_.Advance(Millis(1'000));
  EXPECT_EQ(FireDueTimers(), 130u);
  EXPECT_EQ(TakeSent().size(), 260u);
  EXPECT_EQ(FireDueTimers(), 0u);
}

// The TimerLoop runs FireDueTimers on its own thread; the test waits for the outbox's wake-up signal
// (with a deadline), never for a fixed time.
std::vector<Sent> WaitForSent(WakeSignal& new_rows, size_t count, const std::function<std::vector<Sent>()>& take) {
  std::vector<Sent> sent;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (sent.size() < count && std::chrono::steady_clock::now() < give_up) {
    new_rows.WaitFor(Millis(100));
    for (auto& message : take()) sent.push_back(std::move(message));
  }
  return sent;
}

TEST_F(SagaManagerTest, TimerLoopResendsADueCommandWhenWoken) {
  Deliver("orders/created", OrderCreated("o1"));
  TakeSent();
  clock_.Advance(Millis(1'000));
  engine::TimerLoop timers(*manager_, clock_, MakeNullLogger(), Millis(50));
  timers.Start();
  timers.Wake();
  const auto sent = WaitForSent(new_rows_, 2, [this] { return TakeSent(); });
  timers.Stop();
  ASSERT_EQ(Topics(sent), (std::vector<std::string>{"payments/process", "inventory/reserve"}));
  EXPECT_EQ(Field(sent[0].payload, "idempotencyKey"), "o1:payment");
  EXPECT_EQ(Load("o1")->Step("payment")->attempts, 2);
}

TEST_F(SagaManagerTest, AfterARestartTheFirstTimerPassHandlesWhatFellDueWhileDown) {
  Deliver("orders/created", OrderCreated("o1"));
  Deliver("payments/processed", PaymentProcessed("o1", true));
  TakeSent();
  manager_.reset();  // the process dies; a new one opens the same file an hour later
  clock_.Advance(Millis(3'600'000));
  auto reopened = storage::Database::Open({(dir_ / "orchestrator.db").string(), storage::Durability::kNormal});
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  WakeSignal new_rows;
  storage::Outbox outbox(**reopened, clock_, new_rows);
  Metrics metrics;
  SagaManager manager(registry_, **reopened, outbox, clock_, random_, MakeNullLogger(), metrics);
  engine::TimerLoop timers(manager, clock_, MakeNullLogger(), Millis(50));
  timers.Start();
  const auto sent = WaitForSent(new_rows, 1, [this] { return TakeSent(); });
  timers.Stop();
  ASSERT_EQ(Topics(sent), std::vector<std::string>{"inventory/reserve"});
  EXPECT_EQ(Field(sent[0].payload, "idempotencyKey"), "o1:inventory");
}

// A definition file changed under unfinished sagas without a new version (possible only for sagas begun before
// versions were stored) would leave the engine looking for steps they do not have; the orchestrator refuses to
// start instead, naming one of them. Finished sagas do not count.
TEST_F(SagaManagerTest, ADefinitionChangedUnderUnfinishedSagasIsRefusedAtStart) {
  Complete("o-done");
  ASSERT_EQ(SagaState("o-done"), "COMPLETED");
  Deliver("notifications/sent", NotificationSent("o-done", "o-done:outcome"));
  EXPECT_TRUE(manager_->CheckActiveSagas().ok());

  Deliver("orders/created", OrderCreated("o-running"));
  EXPECT_TRUE(manager_->CheckActiveSagas().ok()) << "the same definition";
  engine::SagaDefinition renamed = MakeOrderSaga(kOptions);
  renamed.stages[0].steps[1].name = "stock";
  const engine::SagaRegistry changed_registry = RegistryOf(std::move(renamed));
  SagaManager changed(changed_registry, *db_, *outbox_, clock_, random_, MakeNullLogger(), metrics_);
  const Status refused = changed.CheckActiveSagas();
  EXPECT_TRUE(refused.IsFailedPrecondition()) << refused.ToString();
  EXPECT_NE(refused.message().find("1 unfinished order saga(s)"), std::string::npos) << refused.message();
  EXPECT_NE(refused.message().find("inventory@0"), std::string::npos) << refused.message();

  Complete("o-running");
  Deliver("notifications/sent", NotificationSent("o-running", "o-running:outcome"));
  EXPECT_TRUE(changed.CheckActiveSagas().ok()) << "once it has finished";
}

}  // namespace
}  // namespace sagaflow::order_saga

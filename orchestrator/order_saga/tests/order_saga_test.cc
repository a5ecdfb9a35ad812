// The order saga on the engine: its definition and messages, then its decisions as given/when/then
// scenarios fed with replies shaped like the payment and inventory services' (read through the
// saga's own read_reply), with a manual clock and a fixed random unit. Last, the restart property:
// saving and loading the instance (a real SQLite file) at any point of a run changes nothing.
#include "orchestrator/order_saga/order_saga.h"

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <source_location>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/json.h"
#include "manifest/topics.h"
#include "migrations/service_schema.h"
#include "orchestrator/engine/saga_engine.h"
#include "orchestrator/engine/saga_store.h"
#include "storage/migrator.h"
#include "storage/testing/scratch_database.h"
#include "wire/inventory_messages.h"
#include "wire/order_messages.h"
#include "wire/payment_messages.h"

namespace sagaflow::order_saga {
namespace {

using engine::Action;
using engine::ActionKind;
using engine::Reply;
using engine::SagaEngine;
using engine::SagaInstance;
using engine::SagaState;
using engine::StepStatus;

constexpr double kRandomUnit = 0.5;
const OrderSagaOptions kOptions{Millis(1'000), 3, 3};
const std::string kOutcome(engine::kOutcomeStep);

// orders/created as the order service publishes it, written by its codec (wire/).
std::string OrderCreated(const std::string& order_id, const std::string& message_id = "m-created") {
  return wire::Encode(wire::OrderCreated{
      message_id, order_id, "cust-7", {{"p-1", 2, 1000}, {"p-2", 1, 999}}, 2999, "2024-01-15T10:30:00.000Z"});
}

// payments/processed and inventory/reserved as the services publish them, written by their codec.
std::string PaymentProcessed(const std::string& key, bool success, const std::string& reason = "") {
  return wire::Encode(
      wire::PaymentProcessed{"m-" + key, "o1", key, "pay-1", 2999, success, reason, "2024-01-15T10:30:01.000Z"});
}

std::string InventoryReserved(const std::string& key, bool success, const std::string& reason = "") {
  return wire::Encode(
      wire::InventoryReserved{"m-" + key, "o1", key, "res-1", success, reason, "2024-01-15T10:30:01.000Z"});
}

// Parses `text` (valid JSON object) and hands it to `use`.
template <typename F>
auto WithObject(const std::string& text, F use) {
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, text);
  EXPECT_TRUE(root.ok()) << text;
  simdjson::dom::object object;
  EXPECT_FALSE(root.ok() && root->get_object().get(object)) << text;
  return use(object);
}

std::string Field(const std::string& json, const std::string& field) {
  return WithObject(json, [&](simdjson::dom::object object) {
    simdjson::dom::element element;
    if (object[field].get(element)) return std::string("<missing>");
    return std::string(simdjson::minify(element));
  });
}

std::string Describe(const Action& action) {
  switch (action.kind) {
    case ActionKind::kSendCommand:
      return "command " + action.step + " " + action.idempotency_key + " #" + std::to_string(action.attempt);
    case ActionKind::kSendCompensation:
      return "compensate " + action.step + " " + action.idempotency_key + " #" + std::to_string(action.attempt);
    case ActionKind::kSendOutcome:
      return "outcome " + action.idempotency_key + " #" + std::to_string(action.attempt);
    case ActionKind::kProgress:
      return "progress " + action.progress.event + (action.progress.reason.empty() ? "" : " " + action.progress.reason);
  }
  return "?";
}

// ----------------------------------------------------------------------------------------------------
// The definition and its messages

class OrderSagaDefinitionTest : public ::testing::Test {
 protected:
  const engine::SagaDefinition saga_ = MakeOrderSaga(kOptions);
  const std::string order_ = OrderCreated("o1");
  const std::string saga_id_ = "saga-1";
  const std::string correlation_id_ = "o1";
  const std::string at_ = "2024-01-15T10:30:00.000Z";
  const engine::SagaContext context_{saga_id_, correlation_id_, order_, at_};
};

TEST_F(OrderSagaDefinitionTest, IsValidWithOneParallelStageOfPaymentAndInventory) {
  EXPECT_TRUE(saga_.Validate().ok()) << saga_.Validate().ToString();
  EXPECT_EQ(saga_.name, "order");
  EXPECT_EQ(saga_.start_topic, "orders/created");
  ASSERT_EQ(saga_.stages.size(), 1u);
  ASSERT_EQ(saga_.stages[0].steps.size(), 2u);
  const auto& payment = saga_.stages[0].steps[0];
  const auto& inventory = saga_.stages[0].steps[1];
  EXPECT_EQ(payment.name, "payment");
  EXPECT_EQ(payment.command_topic, "payments/process");
  EXPECT_EQ(payment.reply_topic, "payments/processed");
  EXPECT_EQ(payment.compensation_topic, "payments/refund");
  EXPECT_EQ(payment.compensation_reply_topic, "payments/refunded");
  EXPECT_EQ(inventory.name, "inventory");
  EXPECT_EQ(inventory.command_topic, "inventory/reserve");
  EXPECT_EQ(inventory.reply_topic, "inventory/reserved");
  EXPECT_EQ(inventory.compensation_topic, "inventory/release");
  EXPECT_EQ(inventory.compensation_reply_topic, "inventory/released");
  EXPECT_EQ(payment.timeout, Millis(1'000));
  EXPECT_EQ(payment.retry.max_attempts, 3);
  EXPECT_EQ(payment.compensation_retry.max_attempts, 3);
  EXPECT_EQ(saga_.outcome.ack_topic, "notifications/sent");
  EXPECT_EQ(saga_.rejected_start_reason, "invalid_order");
  EXPECT_EQ(saga_.ConsumedTopics(),
            (std::vector<std::string>{"orders/created", "payments/processed", "payments/refunded", "inventory/reserved",
                                      "inventory/released", "notifications/sent"}));
}

TEST_F(OrderSagaDefinitionTest, ValidateStartAcceptsTheOrderServicesEventAndRejectsBrokenOnes) {
  EXPECT_TRUE(saga_.validate_start(order_).ok());
  const std::vector<std::string> invalid{
      R"({"orderId":"o1","customerId":"c","items":[],"totalAmount":1.00})",
      R"({"orderId":"o1","customerId":"c","totalAmount":1.00})",
      R"({"orderId":"o1","customerId":"","items":[{"productId":"p","quantity":1}],"totalAmount":1.00})",
      R"({"orderId":"o1","items":[{"productId":"p","quantity":1}],"totalAmount":1.00})",
      R"({"orderId":"o1","customerId":"c","items":[{"productId":"p","quantity":0}],"totalAmount":1.00})",
      R"({"orderId":"o1","customerId":"c","items":[{"productId":"","quantity":1}],"totalAmount":1.00})",
      R"({"orderId":"o1","customerId":"c","items":[{"productId":"p","quantity":1}]})",
      R"({"orderId":"o1","customerId":"c","items":[{"productId":"p","quantity":1}],"totalAmount":"1.00"})",
      R"({"orderId":"o1","customerId":"c","items":[7],"totalAmount":1.00})",
  };
  for (const auto& text : invalid) {
    EXPECT_TRUE(saga_.validate_start(text).IsInvalidArgument()) << text;
  }
}

TEST_F(OrderSagaDefinitionTest, PaymentCommandAndRefundCarryTheKeyTheCustomerAndTheAmount) {
  const auto& payment = saga_.stages[0].steps[0];
  const std::string process = payment.build_command(context_, "o1:payment", "msg-1");
  EXPECT_EQ(Field(process, "messageId"), R"("msg-1")");
  EXPECT_EQ(Field(process, "orderId"), R"("o1")");
  EXPECT_EQ(Field(process, "idempotencyKey"), R"("o1:payment")");
  EXPECT_EQ(Field(process, "customerId"), R"("cust-7")");
  EXPECT_EQ(Field(process, "amount"), "29.99");
  const std::string refund = payment.build_compensation(context_, "o1:payment:compensation", "msg-2");
  EXPECT_EQ(Field(refund, "idempotencyKey"), R"("o1:payment:compensation")");
  EXPECT_EQ(Field(refund, "orderId"), R"("o1")");
  EXPECT_EQ(Field(refund, "amount"), "29.99");
}

TEST_F(OrderSagaDefinitionTest, InventoryReserveCarriesTheItemsAndReleaseTheKey) {
  const auto& inventory = saga_.stages[0].steps[1];
  const std::string reserve = inventory.build_command(context_, "o1:inventory", "msg-1");
  EXPECT_EQ(Field(reserve, "idempotencyKey"), R"("o1:inventory")");
  EXPECT_EQ(Field(reserve, "items"), R"([{"productId":"p-1","quantity":2},{"productId":"p-2","quantity":1}])");
  const std::string release = inventory.build_compensation(context_, "o1:inventory:compensation", "msg-2");
  EXPECT_EQ(Field(release, "orderId"), R"("o1")");
  EXPECT_EQ(Field(release, "idempotencyKey"), R"("o1:inventory:compensation")");
  EXPECT_EQ(Field(release, "messageId"), R"("msg-2")");
}

TEST_F(OrderSagaDefinitionTest, TheOutcomeIsOrdersCompletedOrOrdersCancelledWithTheReason) {
  auto completed = saga_.outcome.build(context_, true, "", "o1:outcome", "msg-1", "2024-01-15T10:30:05.000Z");
  ASSERT_EQ(completed.size(), 1u);
  EXPECT_EQ(completed[0].topic, "orders/completed");
  EXPECT_EQ(Field(completed[0].payload, "orderId"), R"("o1")");
  EXPECT_EQ(Field(completed[0].payload, "idempotencyKey"), R"("o1:outcome")");
  EXPECT_EQ(Field(completed[0].payload, "at"), R"("2024-01-15T10:30:05.000Z")");
  EXPECT_EQ(Field(completed[0].payload, "reason"), "<missing>");
  auto cancelled = saga_.outcome.build(context_, false, "out_of_stock", "o1:outcome", "msg-2", "t");
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(cancelled[0].topic, "orders/cancelled");
  EXPECT_EQ(Field(cancelled[0].payload, "reason"), R"("out_of_stock")");
}

TEST_F(OrderSagaDefinitionTest, StatusChangesGoToOrdersProgress) {
  auto progress = saga_.build_progress(context_, {"compensating", "COMPENSATING"}, "msg-1", "t");
  ASSERT_TRUE(progress.has_value());
  EXPECT_EQ(progress->topic, "orders/progress");
  EXPECT_EQ(Field(progress->payload, "event"), R"("compensating")");
  EXPECT_EQ(Field(progress->payload, "status"), R"("COMPENSATING")");
}

TEST_F(OrderSagaDefinitionTest, StepEventsGoToOrdersProgressWithoutAStatusAndWithTheirReason) {
  auto charged = saga_.build_progress(context_, {"payment_succeeded", ""}, "msg-2", "t");
  ASSERT_TRUE(charged.has_value());
  EXPECT_EQ(Field(charged->payload, "event"), R"("payment_succeeded")");
  EXPECT_EQ(Field(charged->payload, "status"), "<missing>") << "a step event implies no status";
  EXPECT_EQ(Field(charged->payload, "reason"), "<missing>");
  auto declined = saga_.build_progress(context_, {"payment_failed", "payment_declined"}, "msg-3", "t");
  ASSERT_TRUE(declined.has_value());
  EXPECT_EQ(Field(declined->payload, "event"), R"("payment_failed")");
  EXPECT_EQ(Field(declined->payload, "reason"), R"("payment_declined")");
  for (const char* event : {"inventory_succeeded", "inventory_failed", "payment_compensated", "inventory_compensated",
                            "payment_succeeded_late", "inventory_compensation_failed"}) {
    EXPECT_TRUE(saga_.build_progress(context_, {event, ""}, "msg-4", "t").has_value()) << event;
  }
  // The order service has nothing to show for a start it never made.
  EXPECT_FALSE(saga_.build_progress(context_, {"start_rejected", "invalid_order"}, "msg-5", "t").has_value());
}

TEST_F(OrderSagaDefinitionTest, RepliesAreReadWithTheServicesReasonsAndDefaults) {
  const auto& payment = saga_.stages[0].steps[0];
  const auto& inventory = saga_.stages[0].steps[1];
  auto read = [](const engine::StepDefinition& step, const std::string& text) {
    return WithObject(text, [&](simdjson::dom::object object) { return step.read_reply(object); });
  };
  EXPECT_TRUE(read(payment, PaymentProcessed("o1:payment", true)).success);
  auto declined = read(payment, PaymentProcessed("o1:payment", false, "payment_declined"));
  EXPECT_FALSE(declined.success);
  EXPECT_EQ(declined.reason, "payment_declined");
  EXPECT_EQ(read(payment, R"({"success":false})").reason, "payment_declined");
  EXPECT_FALSE(read(payment, R"({"reason":"x"})").success);  // no "success": not a success
  EXPECT_EQ(read(inventory, InventoryReserved("o1:inventory", false, "unknown_product")).reason, "unknown_product");
  EXPECT_EQ(read(inventory, InventoryReserved("o1:inventory", false, "out_of_stock")).reason, "out_of_stock");
  EXPECT_EQ(read(inventory, R"({"success":false})").reason, "out_of_stock");
  EXPECT_TRUE(read(inventory, InventoryReserved("o1:inventory", true)).success);
}

// ----------------------------------------------------------------------------------------------------
// Scenarios

class OrderScenario {
 public:
  OrderScenario() : definition_(MakeOrderSaga(kOptions)), engine_(definition_) {}

  OrderScenario& GivenStarted() {
    saga_ = engine_.Create("saga-1", "o1", OrderCreated("o1"), clock_.Now());
    return Record(engine_.Start(saga_, clock_.Now()));
  }
  OrderScenario& GivenCompleted() {
    return GivenStarted()
        .WhenPaymentReplies(PaymentProcessed("o1:payment", true))
        .WhenInventoryReplies(InventoryReserved("o1:inventory", true));
  }

  OrderScenario& WhenPaymentReplies(const std::string& json) { return WhenStepReplies("payment", json); }
  OrderScenario& WhenInventoryReplies(const std::string& json) { return WhenStepReplies("inventory", json); }
  OrderScenario& WhenCompensated(const std::string& step) {
    return Record(engine_.OnReply(saga_, {step, true, SagaEngine::CompensationKey(saga_, step), true, ""}, clock_.Now(),
                                  kRandomUnit));
  }
  OrderScenario& WhenAcknowledged() {
    return Record(
        engine_.OnReply(saga_, {kOutcome, false, SagaEngine::OutcomeKey(saga_), true, ""}, clock_.Now(), kRandomUnit));
  }
  OrderScenario& WhenDeadlinePasses(const std::string& step) {
    EXPECT_TRUE(saga_.Step(step)->deadline.has_value()) << step;
    if (saga_.Step(step)->deadline) clock_.Set(*saga_.Step(step)->deadline);
    return Record(engine_.OnTimers(saga_, clock_.Now(), kRandomUnit));
  }
  OrderScenario& WhenTimedOutUntilFailed(const std::string& step) {
    for (int i = 0; i < kOptions.step_attempts && saga_.Step(step)->status == StepStatus::kRunning; ++i) {
      WhenDeadlinePasses(step);
    }
    return *this;
  }
  OrderScenario& WhenCompensationTimedOutUntilFailed(const std::string& step) {
    for (int i = 0; i < kOptions.compensation_attempts && saga_.Step(step)->status == StepStatus::kCompensating; ++i) {
      WhenDeadlinePasses(step);
    }
    return *this;
  }
  OrderScenario& WhenRedriven() { return Record(engine_.Redrive(saga_, clock_.Now())); }
  OrderScenario& WhenOrderCreatedArrivesAgain() { return Record(engine_.OnRepeatedStart(saga_, clock_.Now())); }

  OrderScenario& ThenSends(const std::vector<std::string>& expected,
                           std::source_location where = std::source_location::current()) {
    ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "ThenSends");
    std::vector<std::string> sent;
    for (const auto& action : actions_) {
      if (action.kind != ActionKind::kProgress) sent.push_back(Describe(action));
    }
    EXPECT_EQ(sent, expected);
    return *this;
  }
  OrderScenario& ThenReports(const std::vector<std::string>& expected,
                             std::source_location where = std::source_location::current()) {
    ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "ThenReports");
    std::vector<std::string> reported;
    for (const auto& action : actions_) {
      if (action.kind == ActionKind::kProgress) reported.push_back(Describe(action));
    }
    EXPECT_EQ(reported, expected);
    return *this;
  }
  OrderScenario& ThenSaga(SagaState state, const std::string& reason = "",
                          std::source_location where = std::source_location::current()) {
    ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "ThenSaga");
    EXPECT_EQ(engine::ToString(saga_.state), engine::ToString(state));
    EXPECT_EQ(saga_.failure_reason, reason);
    return *this;
  }
  OrderScenario& ThenStep(const std::string& step, StepStatus status, const std::string& last_reply = "*",
                          std::source_location where = std::source_location::current()) {
    ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "ThenStep " + step);
    EXPECT_EQ(engine::ToString(saga_.Step(step)->status), engine::ToString(status));
    if (last_reply != "*") {
      EXPECT_EQ(saga_.Step(step)->last_reply, last_reply);
    }
    return *this;
  }
  OrderScenario& ThenNoDeadlines(std::source_location where = std::source_location::current()) {
    ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "ThenNoDeadlines");
    EXPECT_FALSE(saga_.NextDeadline().has_value());
    return *this;
  }

  SagaInstance& saga() { return saga_; }
  ManualClock& clock() { return clock_; }

 private:
  OrderScenario& WhenStepReplies(const std::string& step, const std::string& json) {
    const engine::StepDefinition& definition = *definition_.FindStep(step);
    Reply reply = WithObject(json, [&](simdjson::dom::object object) {
      const engine::ReplyVerdict verdict = definition.read_reply(object);
      return Reply{step, false, std::string(GetStringOr(object, "idempotencyKey", "")), verdict.success,
                   verdict.reason};
    });
    return Record(engine_.OnReply(saga_, reply, clock_.Now(), kRandomUnit));
  }
  OrderScenario& Record(std::vector<Action> actions) {
    actions_ = std::move(actions);
    return *this;
  }

  engine::SagaDefinition definition_;
  SagaEngine engine_;
  ManualClock clock_;
  SagaInstance saga_;
  std::vector<Action> actions_;
};

TEST(OrderSagaScenarioTest, StartSendsPaymentAndInventoryInParallelWithTheirKeys) {
  OrderScenario s;
  s.GivenStarted()
      .ThenSends({"command payment o1:payment #1", "command inventory o1:inventory #1"})
      .ThenReports({"progress saga_started"})
      .ThenSaga(SagaState::kRunning);
}

TEST(OrderSagaScenarioTest, HappyPathCompletesAndPublishesOrdersCompletedUntilAcknowledged) {
  OrderScenario s;
  s.GivenStarted().WhenInventoryReplies(InventoryReserved("o1:inventory", true)).ThenSends({});
  s.WhenPaymentReplies(PaymentProcessed("o1:payment", true))
      .ThenReports({"progress payment_succeeded"})
      .ThenSends({"outcome o1:outcome #1"})
      .ThenSaga(SagaState::kCompleted);
  s.WhenDeadlinePasses(kOutcome).ThenSends({"outcome o1:outcome #2"});
  s.WhenAcknowledged().ThenSends({}).ThenStep(kOutcome, StepStatus::kSucceeded).ThenNoDeadlines();
}

struct FailureCase {
  std::string name;
  std::function<void(OrderScenario&)> fail;
  std::string reason;
  std::vector<std::string> compensations;  // sent when the failure is noticed
};

void PrintTo(const FailureCase& failure, std::ostream* os) {
  *os << failure.name;
}

class OrderSagaFailureTest : public ::testing::TestWithParam<FailureCase> {};

TEST_P(OrderSagaFailureTest, TheOrderIsCancelledWithTheFailuresReason) {
  const FailureCase& param = GetParam();
  OrderScenario s;
  s.GivenStarted();
  param.fail(s);
  s.ThenSends(param.compensations).ThenSaga(SagaState::kCompensating, param.reason);
  for (const auto& step : {"payment", "inventory"}) {
    if (s.saga().Step(step)->status == StepStatus::kCompensating) s.WhenCompensated(step);
  }
  s.ThenSaga(SagaState::kCancelled, param.reason).ThenSends({"outcome o1:outcome #1"});
}

INSTANTIATE_TEST_SUITE_P(
    EachReason, OrderSagaFailureTest,
    ::testing::Values(FailureCase{"payment_declined",
                                  [](OrderScenario& s) {
                                    s.WhenPaymentReplies(PaymentProcessed("o1:payment", false, "payment_declined"));
                                  },
                                  "payment_declined",
                                  {"compensate inventory o1:inventory:compensation #1"}},
                      FailureCase{"out_of_stock",
                                  [](OrderScenario& s) {
                                    s.WhenInventoryReplies(InventoryReserved("o1:inventory", false, "out_of_stock"));
                                  },
                                  "out_of_stock",
                                  {"compensate payment o1:payment:compensation #1"}},
                      FailureCase{"unknown_product",
                                  [](OrderScenario& s) {
                                    s.WhenInventoryReplies(InventoryReserved("o1:inventory", false, "unknown_product"));
                                  },
                                  "unknown_product",
                                  {"compensate payment o1:payment:compensation #1"}},
                      FailureCase{"payment_timeout",
                                  [](OrderScenario& s) {
                                    s.WhenInventoryReplies(InventoryReserved("o1:inventory", true));
                                    s.WhenTimedOutUntilFailed("payment");
                                  },
                                  "timeout",
                                  {"compensate payment o1:payment:compensation #1",
                                   "compensate inventory o1:inventory:compensation #1"}},
                      FailureCase{"inventory_timeout",
                                  [](OrderScenario& s) {
                                    s.WhenPaymentReplies(PaymentProcessed("o1:payment", true));
                                    s.WhenTimedOutUntilFailed("inventory");
                                  },
                                  "timeout",
                                  {"compensate payment o1:payment:compensation #1",
                                   "compensate inventory o1:inventory:compensation #1"}}),
    [](const ::testing::TestParamInfo<FailureCase>& param_info) { return param_info.param.name; });

TEST(OrderSagaScenarioTest, WhenBothStepsFailTheFirstFailuresReasonWins) {
  OrderScenario s;
  s.GivenStarted()
      .WhenInventoryReplies(InventoryReserved("o1:inventory", false, "unknown_product"))
      .WhenPaymentReplies(PaymentProcessed("o1:payment", false, "payment_declined"))
      .ThenSends({})
      .ThenSaga(SagaState::kCompensating, "unknown_product")
      .ThenStep("payment", StepStatus::kCompensating, "late: failure: payment_declined");
  s.WhenCompensated("payment").ThenSaga(SagaState::kCancelled, "unknown_product");
}

TEST(OrderSagaScenarioTest, ATimeoutResendsWithTheSameKeyAndALaterSuccessCompletes) {
  OrderScenario s;
  s.GivenStarted().WhenInventoryReplies(InventoryReserved("o1:inventory", true));
  s.WhenDeadlinePasses("payment").ThenSends({"command payment o1:payment #2"});
  s.WhenDeadlinePasses("payment").ThenSends({"command payment o1:payment #3"});
  s.WhenPaymentReplies(PaymentProcessed("o1:payment", true))
      .ThenSends({"outcome o1:outcome #1"})
      .ThenSaga(SagaState::kCompleted);
}

TEST(OrderSagaScenarioTest, ALateChargeAfterThePaymentTimedOutIsRecordedAndRefunded) {
  OrderScenario s;
  s.GivenStarted().WhenTimedOutUntilFailed("payment");
  s.ThenSends({"compensate payment o1:payment:compensation #1", "compensate inventory o1:inventory:compensation #1"});
  s.WhenPaymentReplies(PaymentProcessed("o1:payment", true))
      .ThenSends({})
      .ThenStep("payment", StepStatus::kCompensating, "late: success")
      .ThenSaga(SagaState::kCompensating, "timeout");
  s.WhenInventoryReplies(InventoryReserved("o1:inventory", true)).ThenSends({});
  s.WhenCompensated("inventory").WhenCompensated("payment").ThenSaga(SagaState::kCancelled, "timeout");
}

TEST(OrderSagaScenarioTest, ALateChargeAfterADeclinedPaymentCancelledTheOrderIsRefunded) {
  OrderScenario s;
  s.GivenStarted()
      .WhenPaymentReplies(PaymentProcessed("o1:payment", false, "payment_declined"))
      .ThenSends({"compensate inventory o1:inventory:compensation #1"});
  s.WhenCompensated("inventory")
      .ThenSends({"outcome o1:outcome #1"})
      .ThenSaga(SagaState::kCancelled, "payment_declined");
  s.WhenPaymentReplies(PaymentProcessed("o1:payment", true))
      .ThenSends({"compensate payment o1:payment:compensation #1"})
      .ThenReports({"progress payment_succeeded_late"})
      .ThenStep("payment", StepStatus::kCompensating, "late: success after payment_declined: compensating")
      .ThenSaga(SagaState::kCancelled, "payment_declined");
  s.WhenCompensated("payment").ThenSends({}).ThenStep("payment", StepStatus::kCompensated);
  s.ThenSaga(SagaState::kCancelled, "payment_declined");
}

TEST(OrderSagaScenarioTest, DuplicateAndForeignRepliesChangeNothing) {
  OrderScenario s;
  s.GivenStarted()
      .WhenPaymentReplies(PaymentProcessed("o2:payment", false, "payment_declined"))  // another order's
      .ThenSends({})
      .ThenSaga(SagaState::kRunning)
      .ThenStep("payment", StepStatus::kRunning);
  s.WhenPaymentReplies(PaymentProcessed("o1:payment", true)).WhenPaymentReplies(PaymentProcessed("o1:payment", true));
  s.ThenSends({}).ThenStep("payment", StepStatus::kSucceeded, "late: success");
  s.WhenInventoryReplies(InventoryReserved("o1:inventory", true)).ThenSends({"outcome o1:outcome #1"});
  s.WhenInventoryReplies(InventoryReserved("o1:inventory", false, "out_of_stock"))
      .ThenSends({})
      .ThenSaga(SagaState::kCompleted);
}

TEST(OrderSagaScenarioTest, ARefundNeverConfirmedFailsTheSagaUntilAnOperatorRedrivesIt) {
  OrderScenario s;
  s.GivenStarted()
      .WhenPaymentReplies(PaymentProcessed("o1:payment", true))
      .WhenInventoryReplies(InventoryReserved("o1:inventory", false, "out_of_stock"))
      .WhenCompensationTimedOutUntilFailed("payment")
      .ThenReports({"progress payment_compensation_failed", "progress failed"})
      .ThenSaga(SagaState::kFailed, "out_of_stock")
      .ThenNoDeadlines();
  s.WhenOrderCreatedArrivesAgain().ThenSends({}).ThenReports({"progress failed"});
  s.WhenRedriven().ThenSends({"compensate payment o1:payment:compensation #1"});
  s.WhenCompensated("payment").ThenSends({"outcome o1:outcome #1"}).ThenSaga(SagaState::kCancelled, "out_of_stock");
}

TEST(OrderSagaScenarioTest, ARepeatedOrderCreatedRepublishesTheOutcomeOfAFinishedSagaOnly) {
  OrderScenario s;
  s.GivenStarted().WhenOrderCreatedArrivesAgain().ThenSends({}).ThenReports({});
  s.WhenPaymentReplies(PaymentProcessed("o1:payment", true))
      .WhenInventoryReplies(InventoryReserved("o1:inventory", true));
  s.WhenAcknowledged().WhenOrderCreatedArrivesAgain().ThenSends({"outcome o1:outcome #2"});
}

// ----------------------------------------------------------------------------------------------------
// Restart from stored state at every step

std::string Describe(const std::optional<TimePoint>& t) {
  return t ? std::to_string(ToEpochMillis(*t)) : "-";
}

std::string Describe(const SagaInstance& saga) {
  std::string out = saga.saga_id + " " + saga.correlation_id + " " + saga.definition + " " + saga.data + " " +
                    std::string(engine::ToString(saga.state)) + " stage=" + std::to_string(saga.stage) +
                    " reason=" + saga.failure_reason + " created=" + Describe(saga.created_at) +
                    " updated=" + Describe(saga.updated_at) + "\n";
  std::map<std::string, std::string> steps;  // by name: the order of the vector is not state
  for (const auto& step : saga.steps) {
    steps[step.name] = "  " + step.name + " stage=" + std::to_string(step.stage) + " " +
                       std::string(engine::ToString(step.status)) + " " + std::to_string(step.attempts) + "/" +
                       std::to_string(step.compensation_attempts) + " deadline=" + Describe(step.deadline) +
                       " sent=" + Describe(step.sent_at) + " reason=" + step.failure_reason +
                       " last=" + step.last_reply + "\n";
  }
  for (const auto& [name, line] : steps) out += line;
  return out;
}

// One event of a scripted run: the clock moves, then something happens to the saga.
struct Step {
  std::string what;  // "start", "timers", "redrive", "again", or "<topic-ish> <step>" (see Apply)
  std::string json;  // the reply, for "payment"/"inventory"
};

class RestartRun {
 public:
  RestartRun(const std::vector<Step>& script, storage::Database* db, std::function<bool(size_t)> restart)
      : definition_(MakeOrderSaga(kOptions)),
        engine_(definition_),
        script_(script),
        db_(db),
        restart_(std::move(restart)) {}

  void Run() {
    saga_ = engine_.Create("saga-1", "o1", OrderCreated("o1"), clock_.Now());
    for (size_t i = 0; i < script_.size(); ++i) {
      if (db_ != nullptr && restart_(i)) Restart(i);
      const auto& [what, json] = script_[i];
      std::vector<Action> actions;
      if (what == "start") {
        actions = engine_.Start(saga_, clock_.Now());
      } else if (what == "timers") {  // the clock jumps to the next deadline
        const auto next = saga_.NextDeadline();
        EXPECT_TRUE(next.has_value()) << "event " << i;
        if (next) clock_.Set(*next);
        actions = engine_.OnTimers(saga_, clock_.Now(), kRandomUnit);
      } else if (what == "redrive") {
        clock_.Advance(Millis(60'000));
        actions = engine_.Redrive(saga_, clock_.Now());
      } else if (what == "again") {
        actions = engine_.OnRepeatedStart(saga_, clock_.Now());
      } else if (what == "ack") {
        actions = engine_.OnReply(saga_, {kOutcome, false, SagaEngine::OutcomeKey(saga_), true, ""}, clock_.Now(),
                                  kRandomUnit);
      } else if (what == "refunded" || what == "released") {
        const std::string step = what == "refunded" ? "payment" : "inventory";
        actions = engine_.OnReply(saga_, {step, true, SagaEngine::CompensationKey(saga_, step), true, ""}, clock_.Now(),
                                  kRandomUnit);
      } else {  // "payment" or "inventory" with the service's reply
        const engine::StepDefinition& step = *definition_.FindStep(what);
        const Reply reply = WithObject(json, [&](simdjson::dom::object object) {
          const engine::ReplyVerdict verdict = step.read_reply(object);
          return Reply{what, false, std::string(GetStringOr(object, "idempotencyKey", "")), verdict.success,
                       verdict.reason};
        });
        actions = engine_.OnReply(saga_, reply, clock_.Now(), kRandomUnit);
      }
      clock_.Advance(Millis(7));  // replies take a little while
      for (const auto& action : actions) log_.push_back(std::to_string(i) + " " + Describe(action));
      log_.push_back(std::to_string(i) + " saga " + std::string(engine::ToString(saga_.state)));
    }
  }

  const std::vector<std::string>& log() const { return log_; }
  const SagaInstance& saga() const { return saga_; }

 private:
  void Restart(size_t i) {
    ASSERT_TRUE(db_->Write([&](storage::UnitOfWork& uow) {
                     engine::store::Save(uow, saga_);
                     return Status::Ok();
                   })
                    .ok());
    std::optional<SagaInstance> loaded;
    ASSERT_TRUE(db_->Read([&](storage::Sql& sql) {
                     loaded = engine::store::LoadById(sql, saga_.saga_id);
                     return Status::Ok();
                   })
                    .ok());
    ASSERT_TRUE(loaded.has_value());
    EXPECT_EQ(Describe(*loaded), Describe(saga_)) << "round trip before event " << i;
    saga_ = std::move(*loaded);  // the process died; only the database remembers
  }

  engine::SagaDefinition definition_;
  SagaEngine engine_;
  const std::vector<Step>& script_;
  storage::Database* db_;
  std::function<bool(size_t)> restart_;
  ManualClock clock_;
  SagaInstance saga_;
  std::vector<std::string> log_;
};

std::unique_ptr<storage::Database> OpenDb(const std::filesystem::path& file) {
  auto db = storage::Database::Open({file.string(), storage::Durability::kNormal});
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return nullptr;
  EXPECT_TRUE(migrations::MigrateService(**db, "orchestrator", ManualClock().Now()).ok());
  return std::move(db).value();
}

void ExpectRestartAnywhereChangesNothing(const std::vector<Step>& script, SagaState final_state) {
  RestartRun baseline(script, nullptr, [](size_t) { return false; });
  baseline.Run();
  ASSERT_EQ(baseline.saga().state, final_state) << ::testing::PrintToString(baseline.log());
  storage::scratch::TempDir dir{"sagaflow-order-saga-test"};
  ASSERT_FALSE(dir.path().empty());
  for (size_t k = 0; k <= script.size(); ++k) {
    auto db = OpenDb(dir.path() / ("restart-" + std::to_string(k) + ".db"));
    ASSERT_NE(db, nullptr);
    RestartRun restarted(script, db.get(), [k](size_t i) { return i == k; });
    restarted.Run();
    EXPECT_EQ(restarted.log(), baseline.log()) << "restart before event " << k;
    EXPECT_EQ(Describe(restarted.saga()), Describe(baseline.saga())) << "restart before event " << k;
  }
  auto db = OpenDb(dir.path() / "restart-always.db");
  ASSERT_NE(db, nullptr);
  RestartRun always(script, db.get(), [](size_t) { return true; });
  always.Run();
  EXPECT_EQ(always.log(), baseline.log());
  EXPECT_EQ(Describe(always.saga()), Describe(baseline.saga()));
}

TEST(OrderSagaRestartTest, HappyPathWithARetryAndOutcomeResends) {
  ExpectRestartAnywhereChangesNothing({{"start", ""},
                                       {"inventory", InventoryReserved("o1:inventory", true)},
                                       {"timers", ""},
                                       {"inventory", InventoryReserved("o1:inventory", true)},
                                       {"payment", PaymentProcessed("o1:payment", true)},
                                       {"timers", ""},
                                       {"again", ""},
                                       {"timers", ""},
                                       {"ack", ""},
                                       {"again", ""}},
                                      SagaState::kCompleted);
}

TEST(OrderSagaRestartTest, DeclinedPaymentWithALateReservationIsReleased) {
  ExpectRestartAnywhereChangesNothing({{"start", ""},
                                       {"payment", PaymentProcessed("o1:payment", false, "payment_declined")},
                                       {"inventory", InventoryReserved("o1:inventory", true)},
                                       {"timers", ""},
                                       {"released", ""},
                                       {"released", ""},
                                       {"timers", ""},
                                       {"ack", ""}},
                                      SagaState::kCancelled);
}

TEST(OrderSagaRestartTest, ALateChargeAfterTheOrderWasCancelledIsRefundedUntilConfirmed) {
  ExpectRestartAnywhereChangesNothing({{"start", ""},
                                       {"payment", PaymentProcessed("o1:payment", false, "payment_declined")},
                                       {"released", ""},
                                       {"ack", ""},
                                       {"payment", PaymentProcessed("o1:payment", true)},
                                       {"timers", ""},
                                       {"timers", ""},
                                       {"timers", ""},
                                       {"timers", ""},
                                       {"payment", PaymentProcessed("o1:payment", true)},
                                       {"refunded", ""},
                                       {"again", ""}},
                                      SagaState::kCancelled);
}

TEST(OrderSagaRestartTest, TimeoutsEverywhereThenFailedThenRedriven) {
  ExpectRestartAnywhereChangesNothing({{"start", ""},
                                       {"payment", PaymentProcessed("o1:payment", true)},
                                       {"timers", ""},
                                       {"timers", ""},
                                       {"timers", ""},
                                       {"inventory", InventoryReserved("o1:inventory", true)},
                                       {"released", ""},
                                       {"timers", ""},
                                       {"timers", ""},
                                       {"timers", ""},
                                       {"again", ""},
                                       {"redrive", ""},
                                       {"refunded", ""},
                                       {"again", ""},
                                       {"ack", ""}},
                                      SagaState::kCancelled);
}

}  // namespace
}  // namespace sagaflow::order_saga

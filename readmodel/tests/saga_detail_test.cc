// ReadModel::LoadSaga, FindSagas and StatusOfOrder: one saga in full (every step column, its data, why it waits) and,
// for the order definition, the order across the services; and readmodel/waiting.h's explanation.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/time_format.h"
#include "readmodel/read_model.h"
#include "readmodel/tests/read_model_test_world.h"
#include "readmodel/waiting.h"

namespace sagaflow::readmodel {
namespace {

using testing::At;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kDeadlineMs = 4102444800000;  // 2100-01-01T00:00:00.000Z
constexpr int64_t kSentAtMs = 4102444790000;    // ten seconds earlier

class SagaDetailTest : public testing::ReadModelTest {};

TEST_F(SagaDetailTest, LoadSagaReadsEveryStepColumnItsDataAndTheOrderAcrossTheServices) {
  Exec(
      "orchestrator.db",
      "UPDATE sagas SET data = '{\"orderId\":\"order-1\"}', stage = 1, definition_version = 2 WHERE saga_id = 'saga-1';"
      "UPDATE saga_steps SET deadline = 4102444800000, sent_at = 4102444790000, failure_reason = 'why', "
      "outbox_id = 7, wait_ms = 30000, compensation_attempts = 2 WHERE saga_id = 'saga-1' AND step = 'payment'");
  auto detail = read_model().LoadSaga("saga-1");
  ASSERT_TRUE(detail.ok()) << detail.status().ToString();
  EXPECT_EQ(detail->saga.saga.correlation_id, "order-1");
  EXPECT_EQ(detail->saga.saga.definition_version, 2);
  EXPECT_EQ(detail->saga.stage, 1);
  EXPECT_EQ(detail->saga.data, "{\"orderId\":\"order-1\"}");
  ASSERT_EQ(detail->saga.steps.size(), 2U);
  const StepRecord& payment = detail->saga.steps[0];
  EXPECT_EQ(payment.saga_id, "saga-1");
  EXPECT_EQ(payment.step, "payment");
  EXPECT_EQ(payment.stage, 0);
  EXPECT_EQ(payment.status, "SUCCEEDED");
  EXPECT_EQ(payment.attempts, 1);
  EXPECT_EQ(payment.compensation_attempts, 2);
  EXPECT_EQ(payment.deadline, FromEpochMillis(kDeadlineMs));
  EXPECT_EQ(payment.sent_at, FromEpochMillis(kSentAtMs));
  EXPECT_EQ(payment.failure_reason, "why");
  EXPECT_EQ(payment.last_reply, "charged");
  EXPECT_EQ(payment.updated_at, "2020-01-01T00:00:01.000Z");
  EXPECT_EQ(payment.outbox_id, 7);
  EXPECT_EQ(payment.wait_ms, 30000);
  const StepRecord& inventory = detail->saga.steps[1];
  EXPECT_EQ(inventory.step, "inventory");
  EXPECT_FALSE(inventory.deadline.has_value());
  EXPECT_FALSE(inventory.sent_at.has_value());
  EXPECT_FALSE(inventory.outbox_id.has_value());
  EXPECT_EQ(inventory.failure_reason, "");
  // The order saga brings its order, as status shows it.
  ASSERT_TRUE(detail->order.has_value());
  EXPECT_EQ(detail->order->status, "COMPLETED");
  EXPECT_EQ(detail->order->total_cents, 3000);
  EXPECT_EQ(detail->order->history.size(), 2U);
  ASSERT_TRUE(detail->services.has_value());
  ASSERT_TRUE(detail->services->payment.has_value());
  EXPECT_EQ(detail->services->payment->payment_id, "pay-1");
  ASSERT_TRUE(detail->services->reservation.has_value());
  EXPECT_EQ(detail->services->reservation->items.size(), 2U);
  EXPECT_EQ(detail->services->notifications.size(), 2U);
}

TEST_F(SagaDetailTest, AnUnknownSagaIsNotFound) {
  auto detail = read_model().LoadSaga("no-such-saga");
  ASSERT_FALSE(detail.ok());
  EXPECT_TRUE(detail.status().IsNotFound()) << detail.status().ToString();
}

TEST_F(SagaDetailTest, FindSagasReturnsOnePerDefinitionSharingTheCorrelationId) {
  AddSaga({.saga_id = "saga-trip", .correlation_id = "order-1", .definition = "trip", .data = "{\"tripId\":1}"});
  AddStep("saga-trip", "flight", "RUNNING", kDeadlineMs, kSentAtMs);
  AddSaga({.saga_id = "saga-other", .correlation_id = "order-10", .definition = "trip"});
  auto found = read_model().FindSagas("order-1");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 2U);
  EXPECT_EQ((*found)[0].saga.saga.saga_id, "saga-1");  // "order" before "trip"
  EXPECT_TRUE((*found)[0].order.has_value());
  EXPECT_EQ((*found)[1].saga.saga.saga_id, "saga-trip");
  EXPECT_EQ((*found)[1].saga.data, "{\"tripId\":1}");
  EXPECT_FALSE((*found)[1].order.has_value()) << "only the order definition's sagas have an order";
  EXPECT_FALSE((*found)[1].services.has_value());
  ASSERT_EQ((*found)[1].saga.waiting.size(), 1U);
  EXPECT_EQ((*found)[1].saga.waiting[0].step, "flight");

  auto none = read_model().FindSagas("order-");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(SagaDetailTest, StatusOfOrderReadsEveryDatabaseAndKnowsAnOrderWithoutSaga) {
  AddOrder("order-5", "PENDING", At(0));
  AddUnpublished("orders.db", R"({"orderId":"order-5"})", At(7));
  AddUnpublished("payments.db", R"({"orderId":"order-6"})", At(8));
  auto status = read_model().StatusOfOrder("order-5");
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->order.status, "PENDING");
  EXPECT_FALSE(status->saga.has_value());
  EXPECT_FALSE(status->services.payment.has_value());
  EXPECT_FALSE(status->services.reservation.has_value());
  ASSERT_EQ(status->services.unpublished.size(), 1U);
  EXPECT_EQ(status->services.unpublished[0].service, "order-service");
  EXPECT_EQ(status->services.unpublished[0].created_at, At(7));

  auto missing = read_model().StatusOfOrder("order-6");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound());
  EXPECT_EQ(missing.status().message(), "no order order-6 in orders.db");

  databases_.Remove("payments.db");
  auto without_payments = read_model().StatusOfOrder("order-1");
  ASSERT_FALSE(without_payments.ok());
  EXPECT_TRUE(without_payments.status().IsFailedPrecondition());
  EXPECT_THAT(without_payments.status().message(), HasSubstr("payments.db does not exist"));
}

TEST_F(SagaDetailTest, HostileStringsComeBackAsStored) {
  const std::string order_id = "o'\"\x1b[31m\n\r\x07";
  const std::string step = "pay\x1b]0;title\x07";
  AddOrder(order_id, "PROCESSING", At(0));
  Exec("orders.db", "INSERT INTO order_history(order_id, seq, at, event) VALUES (" + testing::Quote(order_id) +
                        ", 1, 'x', " + testing::Quote("created\nfake line") + ")");
  AddSaga({.saga_id = "s\n", .correlation_id = order_id, .failure_reason = "\x1b[2J"});
  AddStep("s\n", step, "RUNNING", kDeadlineMs, kSentAtMs);
  auto status = read_model().StatusOfOrder(order_id);
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->order.order_id, order_id);
  ASSERT_EQ(status->order.history.size(), 1U);
  EXPECT_EQ(status->order.history[0].event, "created\nfake line");
  ASSERT_TRUE(status->saga.has_value());
  EXPECT_EQ(status->saga->saga.saga_id, "s\n");
  EXPECT_EQ(status->saga->saga.failure_reason, "\x1b[2J");
  ASSERT_EQ(status->saga->steps.size(), 1U);
  EXPECT_EQ(status->saga->steps[0].step, step);
  ASSERT_EQ(status->saga->waiting.size(), 1U);
  EXPECT_THAT(Explain(status->saga->waiting[0], order_id), HasSubstr("step " + step + " is RUNNING"));
}

// --- why a saga waits -----------------------------------------------------------------------------

StepRecord Step(const std::string& name, const std::string& status, std::optional<int64_t> deadline_ms,
                std::optional<int64_t> sent_at_ms = std::nullopt) {
  StepRecord step;
  step.step = name;
  step.status = status;
  step.attempts = 2;
  step.compensation_attempts = 3;
  if (deadline_ms) step.deadline = FromEpochMillis(*deadline_ms);
  if (sent_at_ms) step.sent_at = FromEpochMillis(*sent_at_ms);
  return step;
}

std::vector<std::string> Explained(const std::string& state, const std::vector<StepRecord>& steps) {
  std::vector<std::string> lines;
  for (const auto& wait : WaitsOf(state, steps)) lines.push_back(Explain(wait, "order-9"));
  return lines;
}

TEST(WaitingTest, AnUnfinishedSagaWaitsOnEachStepWithATimerSinceItWasSent) {
  const std::string since = FormatIso8601(FromEpochMillis(kSentAtMs));
  const std::string next = FormatIso8601(FromEpochMillis(kDeadlineMs));
  const auto waits = WaitsOf(
      "RUNNING", {Step("payment", "RUNNING", kDeadlineMs, kSentAtMs), Step("inventory", "SUCCEEDED", std::nullopt)});
  ASSERT_EQ(waits.size(), 1U);
  EXPECT_EQ(waits[0].kind, Wait::Kind::kReply);
  EXPECT_EQ(waits[0].since, FromEpochMillis(kSentAtMs));
  EXPECT_EQ(waits[0].next_retry_at, FromEpochMillis(kDeadlineMs));
  EXPECT_EQ(waits[0].attempt, 2);
  EXPECT_FALSE(waits[0].late_success);
  EXPECT_THAT(Explained("COMPENSATING", {Step("payment", "COMPENSATING", kDeadlineMs, kSentAtMs)}),
              ElementsAre("step payment is COMPENSATING: waiting for its compensation's reply since " + since +
                          " (attempt 3); next retry at " + next));
  EXPECT_THAT(Explained("RUNNING", {Step("payment", "RUNNING", kDeadlineMs)}),
              ElementsAre("step payment is RUNNING: waiting for its reply since  (attempt 2); next retry at " + next));
}

TEST(WaitingTest, WithNoTimerAnUnfinishedSagaIsStuckOrItsCompensationUnconfirmed) {
  EXPECT_THAT(Explained("RUNNING", {Step("payment", "RUNNING", std::nullopt)}),
              ElementsAre("no step has a pending timer: stuck; run `sagactl retry order-9`"));
  EXPECT_THAT(Explained("COMPENSATING", {}),
              ElementsAre("no step has a pending timer: stuck; run `sagactl retry order-9`"));
  EXPECT_THAT(Explained("FAILED", {Step("payment", "COMPENSATION_FAILED", std::nullopt)}),
              ElementsAre("FAILED: a compensation was never confirmed; run `sagactl retry order-9`"));
  EXPECT_EQ(WaitsOf("FAILED", {})[0].kind, Wait::Kind::kUnconfirmedFailure);
}

TEST(WaitingTest, AFinishedSagaWaitsOnlyOnUndoingALateSuccess) {
  const auto waits = WaitsOf("CANCELLED", {Step("payment", "COMPENSATING", kDeadlineMs, kSentAtMs),
                                           Step("inventory", "SUCCEEDED", kDeadlineMs)});
  ASSERT_EQ(waits.size(), 1U);
  EXPECT_EQ(waits[0].step, "payment");
  EXPECT_TRUE(waits[0].late_success);
  EXPECT_THAT(Explain(waits[0], "order-9"), ::testing::EndsWith(" (a success reported after the step failed)"));
  EXPECT_TRUE(WaitsOf("COMPLETED", {Step("payment", "SUCCEEDED", kDeadlineMs)}).empty())
      << "awaiting the outcome's acknowledgement is not waiting";
  EXPECT_TRUE(WaitsOf("COMPLETED", {}).empty());
}

}  // namespace
}  // namespace sagaflow::readmodel

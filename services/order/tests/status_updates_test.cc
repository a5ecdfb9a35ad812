// Unit tests of StatusUpdates: the orchestrator's orders/completed, orders/cancelled and orders/progress
// applied to stored orders, each inside one transaction, against a real SQLite file.
#include "services/order/status_updates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/random.h"
#include "common/time_format.h"
#include "common/wake_signal.h"
#include "manifest/topics.h"
#include "messaging/consumer.h"
#include "migrations/service_schema.h"
#include "services/order/order_store.h"
#include "services/order/tests/order_service_test.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/outbox.h"
#include "storage/testing/scratch_database.h"
#include "wire/order_messages.h"

namespace sagaflow::order {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr Millis kNudgeAfter{30'000};

class StatusUpdatesTest : public OrderServiceTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SetUpOrderService(kNudgeAfter));
    updates_ = std::make_unique<StatusUpdates>(*context_);
  }

  // Stores a PENDING order as POST /api/orders would, due for a nudge after kNudgeAfter.
  std::string InsertPendingOrder() {
    const std::string now = FormatIso8601(clock_.Now());
    Order order;
    order.order_id = "order-" + std::to_string(++orders_);
    order.customer_id = "C123";
    order.status = std::string(kPending);
    order.total_cents = 5998;
    order.created_at = order.updated_at = now;
    order.items = {{"P001", 2, 2999}};
    order.history = {{now, "created"}};
    EXPECT_TRUE(db_->Write([&](storage::UnitOfWork& uow) {
                     store::InsertOrder(uow, order, ToEpochMillis(clock_.Now() + kNudgeAfter));
                     return Status::Ok();
                   })
                    .ok());
    return order.order_id;
  }

  std::string NextMessageId() { return "message-" + std::to_string(++messages_); }

  // For what the codec never writes: a body with a fresh messageId; `fields` are extra "key": value pairs as raw JSON.
  std::string Malformed(const std::string& order_id, const std::string& fields = "") {
    return R"({"messageId":")" + NextMessageId() + R"(","orderId":")" + order_id + "\"" +
           (fields.empty() ? "" : "," + fields) + "}";
  }

  Status Deliver(std::string_view topic, const std::string& payload) { return DeliverTo(*updates_, topic, payload); }
  template <typename Message>
  Status Deliver(const Message& message) {
    return DeliverTo(*updates_, message);
  }

  // The orchestrator's messages; without `at` the service dates the event itself.
  wire::OrderCompleted CompletedMessage(const std::string& order_id, const std::string& at = "") {
    return {NextMessageId(), order_id, order_id + ":outcome", at};
  }
  wire::OrderCancelled CancelledMessage(const std::string& order_id, const std::string& reason) {
    return {NextMessageId(), order_id, order_id + ":outcome", reason, ""};
  }
  wire::OrderProgress ProgressMessage(const std::string& order_id, const std::string& event,
                                      const std::string& status = "") {
    return {NextMessageId(), order_id, event, status, "", ""};
  }
  Status Completed(const std::string& order_id) { return Deliver(CompletedMessage(order_id)); }
  Status Cancelled(const std::string& order_id, const std::string& reason) {
    return Deliver(CancelledMessage(order_id, reason));
  }
  Status Progress(const std::string& order_id, const std::string& event, const std::string& status = "") {
    return Deliver(ProgressMessage(order_id, event, status));
  }

  Order Load(const std::string& order_id) {
    std::optional<Order> order;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     order = store::LoadOrder(sql, order_id, true);
                     return Status::Ok();
                   })
                    .ok());
    EXPECT_TRUE(order.has_value()) << order_id;
    return order.value_or(Order{});
  }

  static std::vector<std::string> Events(const Order& order) {
    std::vector<std::string> events;
    for (const auto& entry : order.history) events.push_back(entry.event);
    return events;
  }

  std::optional<int64_t> NudgeAt(const std::string& order_id) {
    std::optional<int64_t> nudge_at;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     auto& select = sql.Prepare("SELECT nudge_at FROM orders WHERE order_id = ?");
                     select.bind(1, order_id);
                     if (select.executeStep() && !select.getColumn(0).isNull())
                       nudge_at = select.getColumn(0).getInt64();
                     return Status::Ok();
                   })
                    .ok());
    return nudge_at;
  }

  std::optional<int64_t> HistoryRows() {
    return storage::scratch::QueryInt(*db_, "SELECT COUNT(*) FROM order_history");
  }

  std::unique_ptr<StatusUpdates> updates_;
  int orders_ = 0;
  int messages_ = 0;
};

TEST_F(StatusUpdatesTest, CompletedMakesTheOrderCompletedRecordsItAndStopsTheNudge) {
  const std::string id = InsertPendingOrder();
  clock_.Advance(Millis(2500));

  ASSERT_TRUE(Completed(id).ok());

  const Order order = Load(id);
  EXPECT_EQ(order.status, kCompleted);
  EXPECT_EQ(order.reason, "");
  EXPECT_EQ(order.updated_at, FormatIso8601(clock_.Now()));
  EXPECT_THAT(Events(order), ElementsAre("created", "completed"));
  EXPECT_EQ(NudgeAt(id), std::nullopt);
}

TEST_F(StatusUpdatesTest, CancelledWithReasonMakesTheOrderCancelledWithThatReason) {
  const std::string id = InsertPendingOrder();

  ASSERT_TRUE(Cancelled(id, "payment_declined").ok());

  const Order order = Load(id);
  EXPECT_EQ(order.status, kCancelled);
  EXPECT_EQ(order.reason, "payment_declined");
  EXPECT_THAT(Events(order), ElementsAre("created", "cancelled: payment_declined"));
  EXPECT_EQ(NudgeAt(id), std::nullopt);
  EXPECT_THAT(OrderJson(order, true), HasSubstr(R"("reason":"payment_declined")"));
}

TEST_F(StatusUpdatesTest, ProgressAdvancesTheStatusButALateProgressNeverTakesItBack) {
  const std::string id = InsertPendingOrder();

  ASSERT_TRUE(Progress(id, "saga started", "PROCESSING").ok());
  EXPECT_EQ(Load(id).status, kProcessing);

  ASSERT_TRUE(Progress(id, "late duplicate of creation", "PENDING").ok());
  const Order order = Load(id);
  EXPECT_EQ(order.status, kProcessing);
  EXPECT_THAT(Events(order), ElementsAre("created", "saga started", "late duplicate of creation"));
}

TEST_F(StatusUpdatesTest, CompensatingIsNotUndoneByALateProcessing) {
  const std::string id = InsertPendingOrder();
  ASSERT_TRUE(Progress(id, "compensating", "COMPENSATING").ok());
  ASSERT_TRUE(Progress(id, "payment charged", "PROCESSING").ok());
  EXPECT_EQ(Load(id).status, kCompensating);
}

TEST_F(StatusUpdatesTest, ProgressWithoutStatusOnlyRecordsHistory) {
  const std::string id = InsertPendingOrder();
  ASSERT_TRUE(Progress(id, "payment charged").ok());
  const Order order = Load(id);
  EXPECT_EQ(order.status, kPending);
  EXPECT_THAT(Events(order), ElementsAre("created", "payment charged"));
}

TEST_F(StatusUpdatesTest, AFailedStepsReasonFollowsItsEventInTheHistory) {
  const std::string id = InsertPendingOrder();
  ASSERT_TRUE(Progress(id, "saga_started", "PROCESSING").ok());
  wire::OrderProgress failed = ProgressMessage(id, "payment_failed");
  failed.reason = "payment_declined";
  ASSERT_TRUE(Deliver(failed).ok());
  const Order order = Load(id);
  EXPECT_EQ(order.status, kProcessing) << "a step event implies no status";
  EXPECT_TRUE(order.reason.empty()) << "the order's reason is its cancellation's";
  EXPECT_THAT(Events(order), ElementsAre("created", "saga_started", "payment_failed: payment_declined"));
}

TEST_F(StatusUpdatesTest, ATerminalOrderNeverChangesStatus) {
  const std::string completed = InsertPendingOrder();
  ASSERT_TRUE(Completed(completed).ok());
  ASSERT_TRUE(Cancelled(completed, "timeout").ok());
  ASSERT_TRUE(Progress(completed, "retrying", "PROCESSING").ok());
  EXPECT_EQ(Load(completed).status, kCompleted);
  EXPECT_EQ(Load(completed).reason, "");
  EXPECT_EQ(NudgeAt(completed), std::nullopt);

  const std::string cancelled = InsertPendingOrder();
  ASSERT_TRUE(Cancelled(cancelled, "out_of_stock").ok());
  ASSERT_TRUE(Completed(cancelled).ok());
  ASSERT_TRUE(Cancelled(cancelled, "timeout").ok());
  EXPECT_EQ(Load(cancelled).status, kCancelled);
  EXPECT_EQ(Load(cancelled).reason, "out_of_stock");
  EXPECT_EQ(NudgeAt(cancelled), std::nullopt);
}

// Regression: a conflicting outcome for a terminal order used to be added to its history, so a
// COMPLETED order showed "cancelled: timeout" in GET /api/orders/<id>.
TEST_F(StatusUpdatesTest, AConflictingOutcomeIsNotRecordedInTheHistoryOfATerminalOrder) {
  const std::string id = InsertPendingOrder();
  ASSERT_TRUE(Completed(id).ok());
  ASSERT_TRUE(Cancelled(id, "timeout").ok());
  EXPECT_THAT(Events(Load(id)), ElementsAre("created", "completed"));
}

TEST_F(StatusUpdatesTest, ALateProgressEventOfATerminalOrderIsStillRecorded) {
  const std::string id = InsertPendingOrder();
  ASSERT_TRUE(Cancelled(id, "out_of_stock").ok());
  ASSERT_TRUE(Progress(id, "payment refunded").ok());
  const Order order = Load(id);
  EXPECT_EQ(order.status, kCancelled);
  EXPECT_THAT(Events(order), ElementsAre("created", "cancelled: out_of_stock", "payment refunded"));
}

TEST_F(StatusUpdatesTest, TheSameEventTwiceIsRecordedOnce) {
  const std::string id = InsertPendingOrder();
  ASSERT_TRUE(Progress(id, "payment charged", "PROCESSING").ok());
  ASSERT_TRUE(Progress(id, "payment charged", "PROCESSING").ok());
  ASSERT_TRUE(Completed(id).ok());
  ASSERT_TRUE(Completed(id).ok());
  const Order order = Load(id);
  EXPECT_EQ(order.status, kCompleted);
  EXPECT_THAT(Events(order), ElementsAre("created", "payment charged", "completed"));
}

TEST_F(StatusUpdatesTest, HistoryTakesTheTimeFromTheEventWhenItHasOne) {
  const std::string id = InsertPendingOrder();
  clock_.Advance(Millis(60'000));
  ASSERT_TRUE(Deliver(CompletedMessage(id, "2024-01-15T10:30:05.000Z")).ok());
  const Order order = Load(id);
  ASSERT_EQ(order.history.size(), 2u);
  EXPECT_EQ(order.history[1].at, "2024-01-15T10:30:05.000Z");
  EXPECT_EQ(order.updated_at, FormatIso8601(clock_.Now()));

  const std::string other = InsertPendingOrder();
  ASSERT_TRUE(Completed(other).ok());
  EXPECT_EQ(Load(other).history.back().at, FormatIso8601(clock_.Now()));
}

TEST_F(StatusUpdatesTest, ANonTerminalUpdatePushesTheNudgeDeadlineOut) {
  const std::string id = InsertPendingOrder();
  EXPECT_EQ(NudgeAt(id), ToEpochMillis(clock_.Now() + kNudgeAfter));
  clock_.Advance(Millis(20'000));
  ASSERT_TRUE(Progress(id, "payment charged", "PROCESSING").ok());
  EXPECT_EQ(NudgeAt(id), ToEpochMillis(clock_.Now() + kNudgeAfter));
}

TEST_F(StatusUpdatesTest, AnEventForAnUnknownOrderIsInvalidArgumentAndChangesNothing) {
  InsertPendingOrder();
  const std::optional<int64_t> before = HistoryRows();
  ASSERT_TRUE(before.has_value());
  EXPECT_TRUE(Completed("no-such-order").IsInvalidArgument());
  EXPECT_TRUE(Cancelled("no-such-order", "timeout").IsInvalidArgument());
  EXPECT_TRUE(Progress("no-such-order", "payment charged", "PROCESSING").IsInvalidArgument());
  EXPECT_EQ(HistoryRows(), before);
}

TEST_F(StatusUpdatesTest, CancelledWithoutAReasonIsInvalidArgumentAndChangesNothing) {
  const std::string id = InsertPendingOrder();
  EXPECT_TRUE(Cancelled(id, "").IsInvalidArgument());  // the codec leaves an empty reason out
  EXPECT_TRUE(
      Deliver(topics::kOrderCancelled, Malformed(id, R"("idempotencyKey":"k","reason":"")")).IsInvalidArgument());
  EXPECT_TRUE(
      Deliver(topics::kOrderCancelled, Malformed(id, R"("idempotencyKey":"k","reason":7)")).IsInvalidArgument());
  const Order order = Load(id);
  EXPECT_EQ(order.status, kPending);
  EXPECT_THAT(Events(order), ElementsAre("created"));
}

// The engine writes an outcome's idempotencyKey into every outcome; a message without one is not the orchestrator's.
TEST_F(StatusUpdatesTest, AnOutcomeWithoutItsKeyIsInvalidArgumentAndChangesNothing) {
  const std::string id = InsertPendingOrder();
  EXPECT_TRUE(Deliver(topics::kOrderCompleted, Malformed(id)).IsInvalidArgument());
  EXPECT_TRUE(Deliver(topics::kOrderCancelled, Malformed(id, R"("reason":"timeout")")).IsInvalidArgument());
  const Order order = Load(id);
  EXPECT_EQ(order.status, kPending);
  EXPECT_THAT(Events(order), ElementsAre("created"));
}

TEST_F(StatusUpdatesTest, ProgressWithoutAnEventOrWithATerminalOrUnknownStatusIsInvalidArgument) {
  const std::string id = InsertPendingOrder();
  EXPECT_TRUE(Deliver(topics::kOrderProgress, Malformed(id, R"("status":"PROCESSING")")).IsInvalidArgument());
  EXPECT_TRUE(Progress(id, "").IsInvalidArgument());
  EXPECT_TRUE(Progress(id, "done", "COMPLETED").IsInvalidArgument());
  EXPECT_TRUE(Progress(id, "done", "CANCELLED").IsInvalidArgument());
  EXPECT_TRUE(Progress(id, "shipped", "SHIPPED").IsInvalidArgument());
  const Order order = Load(id);
  EXPECT_EQ(order.status, kPending);
  EXPECT_THAT(Events(order), ElementsAre("created"));
}

TEST_F(StatusUpdatesTest, RegisteredHandlersApplyMessagesDeliveredThroughTheConsumer) {
  std::vector<std::string> fatal;
  messaging::Consumer consumer(*db_, *outbox_, clock_, random_, MakeNullLogger(), metrics_,
                               [&](const std::string& reason) { fatal.push_back(reason); });
  ASSERT_TRUE(updates_->Register(consumer).ok());
  EXPECT_THAT(consumer.Topics(),
              ::testing::UnorderedElementsAre("orders/completed", "orders/cancelled", "orders/progress"));
  const std::string id = InsertPendingOrder();

  consumer.Handle({"orders/progress", wire::Encode(ProgressMessage(id, "payment charged", "PROCESSING")), false});
  EXPECT_EQ(Load(id).status, kProcessing);
  consumer.Handle({"orders/cancelled", wire::Encode(CancelledMessage(id, "out_of_stock")), false});
  const Order order = Load(id);
  EXPECT_EQ(order.status, kCancelled);
  EXPECT_EQ(order.reason, "out_of_stock");
  EXPECT_THAT(fatal, ::testing::IsEmpty());
}

}  // namespace
}  // namespace sagaflow::order

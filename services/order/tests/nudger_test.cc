// Unit tests of Nudger::RunOnce: orders/created is appended to the outbox again for an order that stays
// non-terminal, with back-off, driven by a ManualClock against a real SQLite file.
#include "services/order/nudger.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
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
#include "services/order/order_api.h"
#include "services/order/order_store.h"
#include "services/order/status_updates.h"
#include "services/order/tests/order_service_test.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/outbox.h"
#include "storage/testing/scratch_database.h"
#include "wire/order_messages.h"
#include "wire/testing/decoded.h"

namespace sagaflow::order {
namespace {

constexpr Millis kNudgeAfter{30'000};
// The nudge's back-off: the n-th repeat waits nudge_after * 2^n, less up to 10% jitter, capped at 8x.
constexpr Millis kMaxDelay = kNudgeAfter * 8;

class NudgerTest : public OrderServiceTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SetUpOrderService(kNudgeAfter));
    api_ = std::make_unique<OrderApi>(*context_, [] { return http::HealthReport{true, true}; });
    updates_ = std::make_unique<StatusUpdates>(*context_);
    nudger_ = std::make_unique<Nudger>(*context_);
  }

  std::string CreateOrder() {
    http::HttpRequest request;
    request.method = "POST";
    request.path = "/api/orders";
    request.headers = {{"content-type", "application/json"}};
    request.body = R"({"customerId": "C123", "items": [{"productId": "P001", "quantity": 2, "price": 29.99}]})";
    auto response = api_->Handle(request);
    EXPECT_EQ(response.status, 202) << response.body;
    simdjson::dom::parser parser;
    std::string_view order_id;
    EXPECT_EQ(parser.parse(response.body)["orderId"].get_string().get(order_id), simdjson::SUCCESS);
    return std::string(order_id);
  }

  size_t RunOnce() {
    auto nudged = nudger_->RunOnce();
    EXPECT_TRUE(nudged.ok()) << nudged.status().ToString();
    return nudged.ok() ? *nudged : 0;
  }

  std::vector<storage::OutboxRow> CreatedEvents() {
    auto rows = outbox_->LoadUnpublished(10'000);
    EXPECT_TRUE(rows.ok());
    std::vector<storage::OutboxRow> created;
    for (const auto& row : rows.ok() ? *rows : std::vector<storage::OutboxRow>{}) {
      if (row.topic == topics::kOrderCreated) created.push_back(row);
    }
    return created;
  }

  std::string NextMessageId() { return "message-" + std::to_string(++messages_); }

  // The orchestrator's messages.
  Status Completed(const std::string& order_id) {
    return DeliverTo(*updates_, wire::OrderCompleted{NextMessageId(), order_id, order_id + ":outcome", ""});
  }
  Status Cancelled(const std::string& order_id, const std::string& reason) {
    return DeliverTo(*updates_, wire::OrderCancelled{NextMessageId(), order_id, order_id + ":outcome", reason, ""});
  }
  Status Progress(const std::string& order_id, const std::string& event, const std::string& status) {
    return DeliverTo(*updates_, wire::OrderProgress{NextMessageId(), order_id, event, status, "", ""});
  }

  // Every orders/created in the outbox, decoded; one that does not decode fails the test.
  std::vector<wire::OrderCreated> CreatedMessages() {
    std::vector<wire::OrderCreated> created;
    for (const auto& row : CreatedEvents())
      created.push_back(wire::testing::Decoded(row.payload, wire::DecodeOrderCreated));
    return created;
  }

  std::unique_ptr<OrderApi> api_;
  std::unique_ptr<StatusUpdates> updates_;
  std::unique_ptr<Nudger> nudger_;
  int messages_ = 0;
};

TEST_F(NudgerTest, NothingIsDueBeforeNudgeAfterHasPassed) {
  CreateOrder();
  EXPECT_EQ(RunOnce(), 0u);
  clock_.Advance(kNudgeAfter - Millis(1));
  EXPECT_EQ(RunOnce(), 0u);
  EXPECT_EQ(CreatedEvents().size(), 1u);
}

TEST_F(NudgerTest, AnOrderLeftPendingHasItsOrdersCreatedAppendedAgainWithANewMessageId) {
  const std::string order_id = CreateOrder();
  clock_.Advance(kNudgeAfter);

  EXPECT_EQ(RunOnce(), 1u);

  const auto events = CreatedEvents();
  auto created = CreatedMessages();
  ASSERT_EQ(created.size(), 2U);
  EXPECT_EQ(created[0].order_id, order_id);
  EXPECT_EQ(created[1].order_id, order_id);
  EXPECT_NE(created[1].message_id, created[0].message_id);
  // Everything but the messageId is the original event, byte for byte.
  created[1].message_id = created[0].message_id;
  EXPECT_EQ(wire::Encode(created[1]), events[0].payload);
  EXPECT_EQ(metrics_.Get("sagaflow_order_nudges_total"), 1);
}

TEST_F(NudgerTest, RepeatsBackOffExponentially) {
  CreateOrder();
  clock_.Advance(kNudgeAfter);
  ASSERT_EQ(RunOnce(), 1u);

  EXPECT_EQ(RunOnce(), 0u) << "immediately again";
  clock_.Advance(kNudgeAfter);
  EXPECT_EQ(RunOnce(), 0u) << "the second repeat waits longer than the first";
  clock_.Advance(kNudgeAfter);
  EXPECT_EQ(RunOnce(), 1u) << "but no longer than twice as long";
  EXPECT_EQ(RunOnce(), 0u);
  EXPECT_EQ(CreatedEvents().size(), 3u);
}

TEST_F(NudgerTest, BackOffIsCapped) {
  CreateOrder();
  clock_.Advance(kNudgeAfter);
  ASSERT_EQ(RunOnce(), 1u);
  for (int repeat = 0; repeat < 8; ++repeat) {
    clock_.Advance(kMaxDelay);
    EXPECT_EQ(RunOnce(), 1u) << "repeat " << repeat;
  }
  EXPECT_EQ(CreatedEvents().size(), 10u);
}

TEST_F(NudgerTest, ATerminalOrderIsNeverNudged) {
  const std::string completed = CreateOrder();
  const std::string cancelled = CreateOrder();
  ASSERT_TRUE(Completed(completed).ok());
  ASSERT_TRUE(Cancelled(cancelled, "timeout").ok());
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(kMaxDelay);
    EXPECT_EQ(RunOnce(), 0u);
  }
  EXPECT_EQ(CreatedEvents().size(), 2u);
}

TEST_F(NudgerTest, AnOrderCompletedAfterBeingNudgedIsNotNudgedAgain) {
  const std::string order_id = CreateOrder();
  clock_.Advance(kNudgeAfter);
  ASSERT_EQ(RunOnce(), 1u);
  ASSERT_TRUE(Completed(order_id).ok());
  clock_.Advance(kMaxDelay);
  EXPECT_EQ(RunOnce(), 0u);
}

TEST_F(NudgerTest, AProgressUpdatePushesTheDeadlineOut) {
  const std::string order_id = CreateOrder();
  clock_.Advance(kNudgeAfter - Millis(1000));
  ASSERT_TRUE(Progress(order_id, "saga started", "PROCESSING").ok());

  clock_.Advance(Millis(2000));  // past the original deadline
  EXPECT_EQ(RunOnce(), 0u);
  clock_.Advance(kNudgeAfter - Millis(2000));  // exactly nudge_after since the update
  EXPECT_EQ(RunOnce(), 1u);
}

TEST_F(NudgerTest, OnlyTheOrdersThatAreDueAreNudged) {
  const std::string old_order = CreateOrder();
  clock_.Advance(kNudgeAfter / 2);
  CreateOrder();
  clock_.Advance(kNudgeAfter / 2);

  EXPECT_EQ(RunOnce(), 1u);
  const auto created = CreatedMessages();
  ASSERT_EQ(created.size(), 3U);
  EXPECT_EQ(created[2].order_id, old_order);
}

TEST_F(NudgerTest, NudgesMoreOrdersThanOneBatchInOnePass) {
  constexpr int kOrders = 1203;  // more than two batches of 500
  ASSERT_TRUE(db_->Write([&](storage::UnitOfWork& uow) {
                   for (int i = 0; i < kOrders; ++i) {
                     Order order;
                     order.order_id = "order-" + std::to_string(i);
                     order.customer_id = "C1";
                     order.status = std::string(kPending);
                     order.total_cents = 100;
                     order.created_at = order.updated_at = FormatIso8601(clock_.Now());
                     order.items = {{"P1", 1, 100}};
                     store::InsertOrder(uow, order, ToEpochMillis(clock_.Now() + kNudgeAfter));
                   }
                   return Status::Ok();
                 })
                  .ok());
  clock_.Advance(kNudgeAfter);

  EXPECT_EQ(RunOnce(), static_cast<size_t>(kOrders));
  EXPECT_EQ(RunOnce(), 0u);
  EXPECT_EQ(CreatedEvents().size(), static_cast<size_t>(kOrders));
}

}  // namespace
}  // namespace sagaflow::order

// Unit tests of Payments wired as payment-service wires it (CommandProcessor on a Consumer), against a
// real payments.db: charge, decline above the limit, refund, void before a charge, and duplicates.
#include "services/payment/payments.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/money.h"
#include "common/random.h"
#include "common/wake_signal.h"
#include "manifest/topics.h"
#include "messaging/consumer.h"
#include "migrations/service_schema.h"
#include "runtime/testing/service_test.h"
#include "services/commands/command_processor.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/outbox.h"
#include "storage/testing/scratch_database.h"
#include "wire/payment_messages.h"
#include "wire/testing/decoded.h"

namespace sagaflow::payment {
namespace {

constexpr Cents kLimit = 1'000'000;  // 10000.00, the default SAGAFLOW_PAYMENT_LIMIT
constexpr Millis kDelay{1'000};      // the default SAGAFLOW_PAYMENT_DELAY_MS

struct PaymentRow {
  std::string payment_id;
  Cents amount_cents = 0;
  std::string status;
};

// One published reply, parsed.
struct Reply {
  std::string topic;
  std::string payload;
  std::string message_id;
  std::string order_id;
  std::string key;
  bool success = false;
  std::string reason;
  std::string status;
  std::string payment_id;
  std::optional<Cents> amount;
};

// Records every movement of money, with how many fsyncs the database had made when it was asked.
class RecordingGateway final : public PaymentGateway {
 public:
  struct Call {
    std::string kind;
    MoneyMovement movement;
    int64_t syncs_before;
  };
  void Watch(storage::Database* db) { db_ = db; }
  void Capture(const MoneyMovement& movement) override { Record("capture", movement); }
  void Refund(const MoneyMovement& movement) override { Record("refund", movement); }
  std::vector<Call> calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  void Record(const std::string& kind, const MoneyMovement& movement) {
    const int64_t syncs = db_ != nullptr ? db_->commit_stats().syncs : -1;
    std::lock_guard lock(mu_);
    calls_.push_back({kind, movement, syncs});
  }
  storage::Database* db_ = nullptr;
  std::mutex mu_;
  std::vector<Call> calls_;
};

class PaymentsTest : public runtime::testing::ServiceTest {
 protected:
  virtual storage::Durability durability() const { return storage::Durability::kNormal; }

  void SetUp() override {
    SetUpService("payment", "payments.db", durability());
    if (HasFatalFailure()) return;
    gateway_.Watch(db_.get());
    payments_ = std::make_unique<Payments>(clock_, random_, MakeNullLogger(), kLimit, gateway_);
    processor_ = std::make_unique<commands::CommandProcessor>(*db_, *outbox_, clock_, MakeNullLogger());
  }

  void TearDown() override {
    processor_.reset();
    consumer_.reset();
    outbox_.reset();
    db_.reset();
  }

  // As payment-service's main: process after `process_delay`, refund at once.
  void Wire(Millis process_delay = Millis(0)) {
    ASSERT_TRUE(payments_->Register(*processor_, *consumer_, process_delay).ok());
  }

  // As the nightly prune does to old replies: a repeated key then runs its executor again.
  void ForgetStoredReplies() { ASSERT_TRUE(processor_->PruneReplies(clock_.Now() + Millis(1), 1000).ok()); }

  std::string NextMessageId() { return "message-" + std::to_string(++messages_); }

  // payments/process as the orchestrator sends it.
  void Process(const std::string& order_id, Cents amount, const std::string& key = "") {
    Deliver(wire::PaymentProcess{NextMessageId(), order_id, key.empty() ? order_id + ":payment" : key, "C123", amount});
  }

  // payments/process whose amount is `amount_text` as it stands, which the codec would never write ("59.985").
  void ProcessWithAmountText(const std::string& order_id, const std::string& amount_text) {
    DeliverRaw(topics::kPaymentProcess, R"({"messageId":")" + NextMessageId() + R"(","orderId":")" + order_id +
                                            R"(","idempotencyKey":")" + order_id + R"(:payment","amount":)" +
                                            amount_text + "}");
  }

  void Refund(const std::string& order_id, Cents amount, const std::string& key = "") {
    Deliver(
        wire::PaymentRefund{NextMessageId(), order_id, key.empty() ? order_id + ":payment:compensation" : key, amount});
  }

  template <typename Message>
  void Deliver(const Message& message) {
    consumer_->Handle(messaging::IncomingMessage{std::string(Message::kTopic), wire::Encode(message)});
  }

  void DeliverRaw(std::string_view topic, const std::string& payload) {
    consumer_->Handle(messaging::IncomingMessage{std::string(topic), payload});
  }

  std::optional<PaymentRow> Payment(const std::string& order_id) {
    std::optional<PaymentRow> row;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     auto& select =
                         sql.Prepare("SELECT payment_id, amount_cents, status FROM payments WHERE order_id = ?");
                     select.bind(1, order_id);
                     if (select.executeStep()) {
                       row = PaymentRow{select.getColumn(0).getString(), select.getColumn(1).getInt64(),
                                        select.getColumn(2).getString()};
                     }
                     return Status::Ok();
                   })
                    .ok());
    return row;
  }

  // Every reply in the outbox, decoded as the saga's side of the contract reads it; one that does not decode fails the
  // test.
  std::vector<Reply> Replies() {
    std::vector<Reply> replies;
    auto rows = outbox_->LoadUnpublished(1000);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    for (const auto& row : rows.ok() ? *rows : std::vector<storage::OutboxRow>{}) {
      if (row.topic == wire::PaymentProcessed::kTopic) {
        const auto reply = wire::testing::Decoded(row.payload, wire::DecodePaymentProcessed);
        replies.push_back({row.topic, row.payload, reply.message_id, reply.order_id, reply.idempotency_key,
                           reply.success, reply.reason, "", reply.payment_id, reply.amount_cents});
      } else if (row.topic == wire::PaymentRefunded::kTopic) {
        const auto reply = wire::testing::Decoded(row.payload, wire::DecodePaymentRefunded);
        replies.push_back({row.topic, row.payload, reply.message_id, reply.order_id, reply.idempotency_key,
                           reply.success, "", reply.status, "", std::nullopt});
      }  // a dead letter is no reply: see the dead_letters table
    }
    return replies;
  }

  RecordingGateway gateway_;
  std::unique_ptr<Payments> payments_;
  std::unique_ptr<commands::CommandProcessor> processor_;
  int messages_ = 0;
};

TEST_F(PaymentsTest, MoneyMovesOncePerPaymentHoweverOftenACommandArrives) {
  Wire();
  Process("order-1", 5998);
  Process("order-1", 5998);       // a re-send
  Process("order-2", 2'000'000);  // declined: nothing to capture
  Refund("order-1", 5998);
  Refund("order-1", 5998);
  Refund("order-3", 500);  // voided before any charge: nothing to refund
  ASSERT_TRUE(db_->AwaitEffects().ok());
  const auto calls = gateway_.calls();
  ASSERT_EQ(calls.size(), 2U);
  EXPECT_EQ(calls[0].kind, "capture");
  EXPECT_EQ(calls[0].movement.order_id, "order-1");
  EXPECT_EQ(calls[0].movement.amount_cents, 5998);
  EXPECT_EQ(calls[0].movement.payment_id, Payment("order-1")->payment_id);
  EXPECT_EQ(calls[1].kind, "refund");
  EXPECT_EQ(calls[1].movement.payment_id, calls[0].movement.payment_id);
}

class PaymentsOnDiskTest : public PaymentsTest {
 protected:
  storage::Durability durability() const override { return storage::Durability::kFull; }
};

TEST_F(PaymentsOnDiskTest, TheGatewayIsAskedOnlyOnceThePaymentIsOnDisk) {
  Wire();
  Process("order-1", 5998);
  ASSERT_TRUE(db_->AwaitEffects().ok());
  const auto calls = gateway_.calls();
  ASSERT_EQ(calls.size(), 1U);
  EXPECT_EQ(calls[0].kind, "capture");
  EXPECT_GE(calls[0].syncs_before, 1) << "the capture came before any fsync of its record";
}

// The replies byte for byte as payment-service publishes them (docs/participants.md shows them), so that how
// they are written may change and what they are may not.
TEST_F(PaymentsTest, RepliesAreTheBytesThePaymentServicePublishes) {
  Wire();
  Process("order-1", 5998);
  Process("order-2", 1'000'001);
  Refund("order-1", 5998);
  Refund("order-3", 500);
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 4U);
  const std::string at = "2024-01-15T10:30:00.000Z";
  EXPECT_EQ(replies[0].payload, R"({"messageId":")" + replies[0].message_id +
                                    R"(","orderId":"order-1","idempotencyKey":"order-1:payment","paymentId":")" +
                                    Payment("order-1")->payment_id +
                                    R"(","amount":59.98,"success":true,"processedAt":")" + at + R"("})");
  EXPECT_EQ(replies[1].payload,
            R"({"messageId":")" + replies[1].message_id +
                R"(","orderId":"order-2","idempotencyKey":"order-2:payment","paymentId":")" +
                Payment("order-2")->payment_id +
                R"(","amount":10000.01,"success":false,"reason":"payment_declined","processedAt":")" + at + R"("})");
  EXPECT_EQ(replies[2].payload,
            R"({"messageId":")" + replies[2].message_id +
                R"(","orderId":"order-1","idempotencyKey":"order-1:payment:compensation","success":true,)"
                R"("status":"REFUNDED","refundedAt":")" +
                at + R"("})");
  EXPECT_EQ(replies[3].payload,
            R"({"messageId":")" + replies[3].message_id +
                R"(","orderId":"order-3","idempotencyKey":"order-3:payment:compensation","success":true,)"
                R"("status":"VOIDED","refundedAt":")" +
                at + R"("})");
}

TEST_F(PaymentsTest, ProcessUnderTheLimitCharges) {
  Wire();
  Process("order-1", 5998);

  const auto row = Payment("order-1");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, "CHARGED");
  EXPECT_EQ(row->amount_cents, 5998);
  EXPECT_FALSE(row->payment_id.empty());

  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].topic, topics::kPaymentProcessed);
  EXPECT_EQ(replies[0].success, true);
  EXPECT_EQ(replies[0].payment_id, row->payment_id);
  EXPECT_EQ(replies[0].amount, 5998);
  EXPECT_NE(replies[0].payload.find(R"("amount":59.98,)"), std::string::npos) << replies[0].payload;
  EXPECT_EQ(replies[0].payload.find("reason"), std::string::npos) << replies[0].payload;
  EXPECT_NE(replies[0].payload.find(R"("processedAt":"2024-01-15T10:30:00.000Z")"), std::string::npos)
      << replies[0].payload;
}

TEST_F(PaymentsTest, ReplyCarriesTheEnvelopeFields) {
  Wire();
  Process("order-1", 5998);
  Refund("order-1", 5998);
  Process("order-2", 1'000'001);

  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[0].order_id, "order-1");
  EXPECT_EQ(replies[0].key, "order-1:payment");
  EXPECT_EQ(replies[1].order_id, "order-1");
  EXPECT_EQ(replies[1].key, "order-1:payment:compensation");
  EXPECT_EQ(replies[2].order_id, "order-2");
  EXPECT_EQ(replies[2].key, "order-2:payment");
  for (const auto& reply : replies) {
    EXPECT_FALSE(reply.message_id.empty()) << reply.payload;
  }
  EXPECT_NE(replies[0].message_id, replies[1].message_id);
  EXPECT_NE(replies[1].message_id, replies[2].message_id);
}

TEST_F(PaymentsTest, ProcessAboveTheLimitIsDeclined) {
  Wire();
  Process("order-1", 1'000'001);

  const auto row = Payment("order-1");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, "DECLINED");
  EXPECT_EQ(row->amount_cents, 1'000'001);
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].success, false);
  EXPECT_EQ(replies[0].reason, "payment_declined");
  EXPECT_EQ(replies[0].payment_id, row->payment_id);
  EXPECT_NE(replies[0].payload.find(R"("amount":10000.01,)"), std::string::npos) << replies[0].payload;
}

TEST_F(PaymentsTest, ProcessOfExactlyTheLimitCharges) {
  Wire();
  Process("order-1", 1'000'000);
  ProcessWithAmountText("order-2", "10000");

  for (const char* order : {"order-1", "order-2"}) {
    const auto row = Payment(order);
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->status, "CHARGED") << order;
    EXPECT_EQ(row->amount_cents, kLimit) << order;
  }
  for (const auto& reply : Replies()) EXPECT_EQ(reply.success, true) << reply.payload;
}

TEST_F(PaymentsTest, ZeroAmountCharges) {
  Wire();
  Process("order-1", 0);
  const auto row = Payment("order-1");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, "CHARGED");
  EXPECT_EQ(row->amount_cents, 0);
  ASSERT_EQ(Replies().size(), 1u);
  EXPECT_NE(Replies()[0].payload.find(R"("amount":0.00,)"), std::string::npos) << Replies()[0].payload;
}

TEST_F(PaymentsTest, RefundAfterChargeRefunds) {
  Wire();
  Process("order-1", 5998);
  Refund("order-1", 5998);

  const auto row = Payment("order-1");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, "REFUNDED");
  EXPECT_EQ(row->amount_cents, 5998);
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[1].topic, topics::kPaymentRefunded);
  EXPECT_EQ(replies[1].success, true);
  EXPECT_EQ(replies[1].status, "REFUNDED");
  EXPECT_NE(replies[1].payload.find(R"("refundedAt":")"), std::string::npos) << replies[1].payload;
}

TEST_F(PaymentsTest, RefundBeforeAnyChargeVoidsAndALaterProcessNeverCharges) {
  Wire();
  Refund("order-1", 5998);

  auto row = Payment("order-1");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, "VOIDED");
  auto replies = Replies();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].topic, topics::kPaymentRefunded);
  EXPECT_EQ(replies[0].success, true);
  EXPECT_EQ(replies[0].status, "VOIDED");

  Process("order-1", 5998);  // the late charge
  row = Payment("order-1");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, "VOIDED");
  EXPECT_EQ(CountRows("payments"), 1);
  replies = Replies();
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[1].topic, topics::kPaymentProcessed);
  EXPECT_EQ(replies[1].success, false);
  EXPECT_EQ(replies[1].reason, "cancelled");
}

TEST_F(PaymentsTest, ProcessAfterRefundIsRefusedAsCancelled) {
  Wire();
  Process("order-1", 5998);
  Refund("order-1", 5998);
  // The same charge again after its stored reply was pruned: the executor decides from the payment row.
  ForgetStoredReplies();
  Process("order-1", 5998);

  const auto row = Payment("order-1");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, "REFUNDED");
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[2].success, false);
  EXPECT_EQ(replies[2].reason, "cancelled");
}

TEST_F(PaymentsTest, RefundOfADeclinedPaymentStaysDeclined) {
  Wire();
  Process("order-1", 1'000'001);
  Refund("order-1", 1'000'001);

  const auto row = Payment("order-1");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, "DECLINED");
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[1].success, true);
  EXPECT_EQ(replies[1].status, "DECLINED");
}

TEST_F(PaymentsTest, RefundTwiceRefundsOnce) {
  Wire();
  Process("order-1", 5998);
  Refund("order-1", 5998);
  ForgetStoredReplies();
  Refund("order-1", 5998);

  EXPECT_EQ(Payment("order-1")->status, "REFUNDED");
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[2].status, "REFUNDED");
  EXPECT_EQ(replies[2].success, true);
}

TEST_F(PaymentsTest, DuplicateProcessNeverCreatesASecondPayment) {
  Wire();
  Process("order-1", 5998);
  Process("order-1", 5998);                           // retry: same key, new messageId
  Process("order-1", 5998, "order-1:payment:other");  // another key is not this order's charge

  EXPECT_EQ(CountRows("payments"), 1);
  const auto row = Payment("order-1");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, "CHARGED");
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[1].payload, replies[0].payload);  // the stored reply, byte for byte
  EXPECT_EQ(CountRows("dead_letters"), 1);
}

TEST_F(PaymentsTest, ACommandIsAcceptedOnlyUnderTheKeyOfItsOwnOrderAndAction) {
  Wire();
  Process("order-1", 5998);
  Refund("order-1", 5998, "order-1:payment");               // a refund under the charge's key
  Refund("order-1", 5998, "order-2:payment:compensation");  // under another order's key
  Process("order-2", 1000, "order-1:payment");              // a charge under another order's key
  EXPECT_EQ(Payment("order-1")->status, "CHARGED");
  EXPECT_FALSE(Payment("order-2").has_value());
  EXPECT_EQ(CountRows("dead_letters"), 3);
  EXPECT_EQ(Replies().size(), 1u);
}

TEST_F(PaymentsTest, DuplicateRefundRepublishesTheStoredReply) {
  Wire();
  Refund("order-1", 5998);
  Refund("order-1", 5998);
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[1].payload, replies[0].payload);
  EXPECT_EQ(CountRows("payments"), 1);
}

TEST_F(PaymentsTest, MalformedAmountIsDeadLettered) {
  Wire();
  ProcessWithAmountText("order-1", "59.985");
  ProcessWithAmountText("order-2", R"("59.98")");
  ProcessWithAmountText("order-3", "-1.00");
  DeliverRaw(topics::kPaymentProcess, R"({"messageId":"m-x","orderId":"order-4","idempotencyKey":"order-4:payment"})");

  EXPECT_EQ(CountRows("payments"), 0);
  EXPECT_EQ(CountRows("dead_letters"), 4);
  EXPECT_EQ(CountRows("command_replies"), 0);
  for (const auto& reply : Replies()) EXPECT_EQ(reply.topic, "deadletter/payments/process");
}

TEST_F(PaymentsTest, RefundWithoutAmountStillVoids) {
  Wire();
  DeliverRaw(topics::kPaymentRefund,
             R"({"messageId":"m-x","orderId":"order-1","idempotencyKey":"order-1:payment:compensation"})");
  const auto row = Payment("order-1");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, "VOIDED");
  EXPECT_EQ(row->amount_cents, 0);
}

TEST_F(PaymentsTest, DelayedProcessChargesOnlyWhenDue) {
  Wire(kDelay);
  Process("order-1", 5998);
  EXPECT_FALSE(Payment("order-1").has_value());
  EXPECT_TRUE(Replies().empty());

  clock_.Advance(kDelay);
  auto ran = processor_->RunDue();
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_EQ(*ran, 1u);
  const auto row = Payment("order-1");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, "CHARGED");
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].success, true);
  EXPECT_NE(replies[0].payload.find(R"("amount":59.98,)"), std::string::npos) << replies[0].payload;
}

TEST_F(PaymentsTest, RefundWhileProcessIsPendingVoidsAndTheChargeNeverHappens) {
  Wire(kDelay);
  Process("order-1", 5998);
  Refund("order-1", 5998);  // the saga compensates (e.g. inventory failed) during the delay
  EXPECT_EQ(Payment("order-1")->status, "VOIDED");

  clock_.Advance(kDelay);
  ASSERT_TRUE(processor_->RunDue().ok());
  EXPECT_EQ(Payment("order-1")->status, "VOIDED");
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0].topic, topics::kPaymentRefunded);
  EXPECT_EQ(replies[1].topic, topics::kPaymentProcessed);
  EXPECT_EQ(replies[1].success, false);
  EXPECT_EQ(replies[1].reason, "cancelled");
}

TEST_F(PaymentsTest, ManyOrdersEachGetOnePayment) {
  Wire();
  for (int i = 0; i < 20; ++i) {
    const std::string order = "order-" + std::to_string(i);
    Process(order, 999'990 + i * 1'000);  // straddles the limit
    Process(order, 999'990 + i * 1'000);
  }
  EXPECT_EQ(CountRows("payments"), 20);
  int charged = 0;
  for (int i = 0; i < 20; ++i) {
    const auto row = Payment("order-" + std::to_string(i));
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->status, row->amount_cents > kLimit ? "DECLINED" : "CHARGED");
    charged += row->status == "CHARGED";
  }
  EXPECT_EQ(charged, 1);  // only 9999.90
}

}  // namespace
}  // namespace sagaflow::payment

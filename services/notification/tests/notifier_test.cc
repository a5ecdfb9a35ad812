// Unit tests of Notifier on a real notifications.db, fed through a Consumer as the MQTT bus feeds it:
// one notification per (order, kind), the sink called once per row and only after the commit, and
// every orders/completed or orders/cancelled acknowledged on notifications/sent.
#include "services/notification/notifier.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/random.h"
#include "common/wake_signal.h"
#include "manifest/topics.h"
#include "messaging/consumer.h"
#include "migrations/service_schema.h"
#include "runtime/testing/service_test.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/outbox.h"
#include "storage/testing/scratch_database.h"
#include "wire/decode_text.h"
#include "wire/inventory_messages.h"
#include "wire/notification_messages.h"
#include "wire/order_messages.h"
#include "wire/payment_messages.h"

namespace sagaflow::notification {
namespace {

constexpr std::string_view kNotificationSent = "notifications/sent";

struct NotificationRow {
  std::string idempotency_key;
  std::string order_id;
  std::string kind;
  std::string message;
  std::string created_at;
};

// Records what it is asked to send (on the database's syncer thread).
class RecordingSink final : public NotificationSink {
 public:
  void Send(const Notification& notification) override {
    std::lock_guard lock(mu_);
    sent_.push_back(notification);
  }
  std::vector<Notification> sent() {
    std::lock_guard lock(mu_);
    return sent_;
  }

 private:
  std::mutex mu_;
  std::vector<Notification> sent_;
};

class NotifierTest : public runtime::testing::ServiceTest {
 protected:
  void SetUp() override {
    SetUpService("notification", "notifications.db");
    if (HasFatalFailure()) return;
    notifier_ = std::make_unique<Notifier>(*outbox_, clock_, random_, sink_, MakeNullLogger());
    ASSERT_TRUE(notifier_->Register(*consumer_).ok());
  }

  void TearDown() override {
    // A notification is sent on the database's syncer thread once its row is durable: let the last ones go out
    // before the notifier they call is destroyed.
    if (db_ != nullptr) {
      EXPECT_TRUE(db_->AwaitEffects().ok());
    }
    notifier_.reset();
    consumer_.reset();
    outbox_.reset();
    db_.reset();
  }

  std::string NextMessageId() { return "message-" + std::to_string(++messages_); }

  // Each message a millisecond after the one before, so that created_at orders the rows (the table has
  // no rowid to keep the insertion order).
  void Deliver(std::string_view topic, const std::string& payload) {
    clock_.Advance(Millis(1));
    consumer_->Handle(messaging::IncomingMessage{std::string(topic), payload});
  }
  template <typename Message>
  void Deliver(const Message& message) {
    Deliver(Message::kTopic, wire::Encode(message));
  }

  void OrderCreated(const std::string& order_id, const std::string& customer = "C123") {
    Deliver(
        wire::OrderCreated{NextMessageId(), order_id, customer, {{"P001", 2, 2999}}, 5998, "2024-01-15T10:30:00.000Z"});
  }
  void PaymentProcessed(const std::string& order_id, bool success, const std::string& reason = "") {
    Deliver(wire::PaymentProcessed{NextMessageId(), order_id, order_id + ":payment", "pay-1", 5998, success, reason,
                                   "2024-01-15T10:30:01.000Z"});
  }
  void InventoryReserved(const std::string& order_id, bool success, const std::string& reason = "") {
    Deliver(wire::InventoryReserved{NextMessageId(), order_id, order_id + ":inventory", "res-1", success, reason,
                                    "2024-01-15T10:30:01.000Z"});
  }
  wire::OrderCompleted Completed(const std::string& order_id, const std::string& key) {
    return {NextMessageId(), order_id, key, "2024-01-15T10:30:02.000Z"};
  }
  void OrderCompleted(const std::string& order_id, const std::string& key) { Deliver(Completed(order_id, key)); }
  void OrderCancelled(const std::string& order_id, const std::string& key, const std::string& reason) {
    Deliver(wire::OrderCancelled{NextMessageId(), order_id, key, reason, "2024-01-15T10:30:02.000Z"});
  }

  std::vector<NotificationRow> Rows() {
    std::vector<NotificationRow> rows;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     auto& select = sql.Prepare(
                         "SELECT idempotency_key, order_id, kind, message, created_at FROM notifications "
                         "ORDER BY created_at");
                     while (select.executeStep()) {
                       rows.push_back({select.getColumn(0).getString(), select.getColumn(1).getString(),
                                       select.getColumn(2).getString(), select.getColumn(3).getString(),
                                       select.getColumn(4).getString()});
                     }
                     return Status::Ok();
                   })
                    .ok());
    return rows;
  }

  std::vector<std::string> Kinds() {
    std::vector<std::string> kinds;
    for (const auto& row : Rows()) kinds.push_back(row.order_id + "/" + row.kind);
    return kinds;
  }

  std::vector<storage::OutboxRow> Outbox() {
    auto rows = outbox_->LoadUnpublished(1000);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<storage::OutboxRow>{};
  }

  // What the sink was asked to send, once every effect of the commits so far has happened.
  std::vector<Notification> Sent() {
    EXPECT_TRUE(db_->AwaitEffects().ok());
    return sink_.sent();
  }

  // Runs the notifier's handler inside a transaction of our own that then commits or rolls back.
  Status HandleInOwnTransaction(const wire::OrderCompleted& completed, bool commit, size_t* sent_inside = nullptr) {
    const std::string payload = wire::Encode(completed);
    simdjson::dom::parser parser;
    simdjson::dom::object body;
    if (parser.parse(payload).get_object().get(body)) {
      ADD_FAILURE() << "not a JSON object: " << payload;
      return Status::InvalidArgument("test message is not JSON");
    }
    messaging::Envelope envelope{
        wire::OrderCompleted::kTopic, completed.message_id, completed.order_id, body, false, payload};
    return db_->Write([&](storage::UnitOfWork& uow) {
      Status handled = notifier_->OnMessage(uow, envelope);
      if (sent_inside != nullptr) *sent_inside = sink_.sent().size();
      if (!handled.ok()) return handled;
      return commit ? Status::Ok() : Status::IoError("the transaction fails after the handler");
    });
  }

  RecordingSink sink_;
  std::unique_ptr<Notifier> notifier_;
  int messages_ = 0;
};

TEST_F(NotifierTest, OrderCreatedSendsTheOrderConfirmation) {
  OrderCreated("order-1");

  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].idempotency_key, "order-1:order_received");
  EXPECT_EQ(rows[0].order_id, "order-1");
  EXPECT_EQ(rows[0].kind, "order_received");
  EXPECT_EQ(rows[0].message, "Order confirmation email sent to C123");
  EXPECT_EQ(rows[0].created_at, "2024-01-15T10:30:00.001Z");
  ASSERT_EQ(Sent().size(), 1u);
  EXPECT_EQ(Sent()[0].order_id, "order-1");
  EXPECT_EQ(Sent()[0].kind, "order_received");
  EXPECT_EQ(Sent()[0].message, "Order confirmation email sent to C123");
  EXPECT_TRUE(Outbox().empty());  // only outcomes are acknowledged
}

TEST_F(NotifierTest, SuccessfulPaymentSendsThePaymentConfirmation) {
  PaymentProcessed("order-1", true);
  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].kind, "payment_confirmed");
  EXPECT_EQ(rows[0].message, "Payment confirmation for Order order-1");
  ASSERT_EQ(Sent().size(), 1u);
  EXPECT_EQ(Sent()[0].message, "Payment confirmation for Order order-1");
}

TEST_F(NotifierTest, SuccessfulReservationSendsTheInventoryConfirmation) {
  InventoryReserved("order-1", true);
  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].kind, "inventory_confirmed");
  EXPECT_EQ(rows[0].message, "Inventory confirmation for Order order-1");
  ASSERT_EQ(Sent().size(), 1u);
}

TEST_F(NotifierTest, DeclinedPaymentIsNotifiedButOtherFailuresAreNot) {
  PaymentProcessed("order-1", false, "payment_declined");
  PaymentProcessed("order-2", false, "cancelled");
  InventoryReserved("order-3", false, "out_of_stock");

  EXPECT_EQ(Kinds(), std::vector<std::string>{"order-1/payment_declined"});
  EXPECT_EQ(Rows()[0].message, "Payment declined for Order order-1");
  EXPECT_EQ(Sent().size(), 1u);
}

TEST_F(NotifierTest, DuplicatesLeaveOneRowPerOrderAndKind) {
  for (int i = 0; i < 3; ++i) {  // each a new messageId, as re-sends and re-published replies are
    OrderCreated("order-1");
    PaymentProcessed("order-1", true);
    InventoryReserved("order-1", true);
  }
  OrderCreated("order-2");

  EXPECT_EQ(Kinds(), (std::vector<std::string>{"order-1/order_received", "order-1/payment_confirmed",
                                               "order-1/inventory_confirmed", "order-2/order_received"}));
  EXPECT_EQ(Sent().size(), 4u);
}

// The notifier claims no inbox: a redelivery (the broker's DUP) notifies nobody twice and acknowledges
// the outcome again, as for any repeat of it.
TEST_F(NotifierTest, ARedeliveredMessageNotifiesOnceAndIsAcknowledgedAgain) {
  const std::string payload = wire::Encode(Completed("order-1", "order-1:outcome"));
  Deliver(topics::kOrderCompleted, payload);
  Deliver(topics::kOrderCompleted, payload);
  EXPECT_EQ(Rows().size(), 1u);
  EXPECT_EQ(Sent().size(), 1u);
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[1].topic, kNotificationSent);
}

TEST_F(NotifierTest, OrderCompletedIsNotifiedOnceAndAcknowledgedEveryTime) {
  OrderCompleted("order-1", "saga-1:outcome");

  auto rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].kind, "order_completed");
  EXPECT_EQ(rows[0].message, "Order order-1 is confirmed and on its way");
  auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].topic, kNotificationSent);
  {
    auto sent = wire::DecodeText(outbox[0].payload, wire::DecodeNotificationSent);
    ASSERT_TRUE(sent.ok()) << sent.status().ToString() << " in " << outbox[0].payload;
    EXPECT_FALSE(sent->message_id.empty());
    EXPECT_EQ(sent->order_id, "order-1");
    EXPECT_EQ(sent->idempotency_key, "saga-1:outcome");
    EXPECT_EQ(sent->kind, "order_completed");
    EXPECT_EQ(sent->at, "2024-01-15T10:30:00.001Z");
  }

  // The orchestrator re-sends until it sees the acknowledgement: acknowledge again, notify not again.
  OrderCompleted("order-1", "saga-1:outcome");
  OrderCompleted("order-1", "saga-1:outcome");
  EXPECT_EQ(Rows().size(), 1u);
  EXPECT_EQ(Sent().size(), 1u);
  outbox = Outbox();
  ASSERT_EQ(outbox.size(), 3u);
  for (const auto& row : outbox) {
    EXPECT_EQ(row.topic, kNotificationSent);
    EXPECT_NE(row.payload.find(R"("idempotencyKey":"saga-1:outcome")"), std::string::npos) << row.payload;
  }
  EXPECT_NE(outbox[1].payload, outbox[0].payload);  // each acknowledgement is its own message
}

TEST_F(NotifierTest, OrderCancelledIsNotifiedWithItsReasonAndAcknowledged) {
  OrderCancelled("order-1", "saga-1:outcome", "out_of_stock");
  OrderCancelled("order-1", "saga-1:outcome", "out_of_stock");

  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].kind, "order_cancelled");
  EXPECT_EQ(rows[0].message, "Order order-1 was cancelled (out_of_stock)");
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);
  for (const auto& row : outbox) {
    EXPECT_EQ(row.topic, kNotificationSent);
    EXPECT_NE(row.payload.find(R"("kind":"order_cancelled")"), std::string::npos) << row.payload;
    EXPECT_NE(row.payload.find(R"("idempotencyKey":"saga-1:outcome")"), std::string::npos) << row.payload;
  }
  EXPECT_EQ(Sent().size(), 1u);
}

TEST_F(NotifierTest, CompensationRepliesNotifyOnlyWhatWasReallyUndone) {
  Deliver(wire::PaymentRefunded{NextMessageId(), "order-1", "k1", true, "REFUNDED", "x"});
  Deliver(wire::PaymentRefunded{NextMessageId(), "order-2", "k2", true, "VOIDED", "x"});
  Deliver(wire::InventoryReleased{NextMessageId(), "order-1", "k3", true, "RELEASED", "x"});
  Deliver(wire::InventoryReleased{NextMessageId(), "order-2", "k4", true, "VOIDED", "x"});

  EXPECT_EQ(Kinds(), (std::vector<std::string>{"order-1/payment_refunded", "order-1/inventory_released"}));
  EXPECT_EQ(Rows()[0].message, "Refund issued for Order order-1");
  EXPECT_EQ(Rows()[1].message, "Reserved stock returned for Order order-1");
}

TEST_F(NotifierTest, WholeSuccessfulOrderNotifiesEachKindOnce) {
  OrderCreated("order-1");
  PaymentProcessed("order-1", true);
  InventoryReserved("order-1", true);
  OrderCompleted("order-1", "saga-1:outcome");
  // Repeats of everything, as after a restart of the orchestrator.
  OrderCreated("order-1");
  PaymentProcessed("order-1", true);
  InventoryReserved("order-1", true);
  OrderCompleted("order-1", "saga-1:outcome");

  EXPECT_EQ(Kinds(), (std::vector<std::string>{"order-1/order_received", "order-1/payment_confirmed",
                                               "order-1/inventory_confirmed", "order-1/order_completed"}));
  ASSERT_EQ(Sent().size(), 4u);
  EXPECT_EQ(Sent()[3].kind, "order_completed");
  EXPECT_EQ(Outbox().size(), 2u);
}

TEST_F(NotifierTest, SinkIsCalledOnlyAfterTheCommit) {
  size_t sent_inside = 99;
  ASSERT_TRUE(HandleInOwnTransaction(Completed("order-1", "k"), true, &sent_inside).ok());
  EXPECT_EQ(sent_inside, 0u);  // not while the transaction was open
  EXPECT_EQ(Sent().size(), 1u);
  EXPECT_EQ(Rows().size(), 1u);
}

TEST_F(NotifierTest, RolledBackNotificationIsNeitherStoredNorSent) {
  EXPECT_TRUE(HandleInOwnTransaction(Completed("order-1", "k"), false).IsIoError());
  EXPECT_TRUE(Sent().empty());
  EXPECT_TRUE(Rows().empty());
  EXPECT_TRUE(Outbox().empty());

  // The redelivery after the failure notifies for real.
  OrderCompleted("order-1", "k");
  EXPECT_EQ(Sent().size(), 1u);
  EXPECT_EQ(Rows().size(), 1u);
  EXPECT_EQ(Outbox().size(), 1u);
}

TEST_F(NotifierTest, OrderCreatedWithoutCustomerIsDeadLettered) {
  // Written by hand: the codec writes no such message.
  Deliver(topics::kOrderCreated, R"({"messageId":"m-1","orderId":"order-1","items":[],"totalAmount":0})");
  Deliver(topics::kOrderCreated, R"({"messageId":"m-2","orderId":"order-2","customerId":7})");
  EXPECT_TRUE(Rows().empty());
  EXPECT_TRUE(Sent().empty());
  EXPECT_EQ(CountRows("dead_letters"), 2);
  for (const auto& row : Outbox()) EXPECT_EQ(row.topic, "deadletter/orders/created");
}

// What docs/participants.md makes every writer send: a reply's success, an outcome's idempotencyKey (without it
// the acknowledgement could not name the outcome, and the orchestrator would publish it for ever).
TEST_F(NotifierTest, AReplyWithoutSuccessOrAnOutcomeWithoutKeyIsDeadLettered) {
  Deliver(topics::kPaymentProcessed, R"({"messageId":"m-1","orderId":"order-1","idempotencyKey":"order-1:payment"})");
  Deliver(topics::kOrderCompleted, R"({"messageId":"m-2","orderId":"order-1","at":"2024-01-15T10:30:02.000Z"})");
  EXPECT_TRUE(Rows().empty());
  EXPECT_EQ(CountRows("dead_letters"), 2);
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2U);
  EXPECT_EQ(outbox[0].topic, "deadletter/payments/processed");
  EXPECT_EQ(outbox[1].topic, "deadletter/orders/completed");
}

TEST_F(NotifierTest, RegistersTheTopicsOfTheContract) {
  EXPECT_EQ(consumer_->Topics(), (std::vector<std::string>{"inventory/released", "inventory/reserved",
                                                           "orders/cancelled", "orders/completed", "orders/created",
                                                           "payments/processed", "payments/refunded"}));
}

}  // namespace
}  // namespace sagaflow::notification

// The bytes of every message the order saga sends, for orders/created payloads as the order service publishes
// them: the payment and inventory services decode exactly these, so a change of definition (in C++ or in a file)
// must leave them as they are, field order and number text included. The contract test at the end decodes each with
// the decoder its consumer uses (wire/), and each encodes back to the same bytes.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "orchestrator/engine/saga_definition.h"
#include "orchestrator/order_saga/order_saga.h"
#include "wire/decode_text.h"
#include "wire/inventory_messages.h"
#include "wire/order_messages.h"
#include "wire/payment_messages.h"

namespace sagaflow::order_saga {
namespace {

const std::string kSagaId = "saga-1";

// Two orders as services/order/order.cc publishes them: plain, and one with escapes, unicode and the largest total.
const std::string kPlain =
    R"({"messageId":"m-1","orderId":"order-1","customerId":"C123","items":[{"productId":"P001","quantity":2,)"
    R"("price":29.99},{"productId":"P002","quantity":1,"price":5.00}],"totalAmount":64.98,)"
    R"("createdAt":"2024-01-15T10:30:00.000Z"})";
const std::string kUnusual =
    R"({"messageId":"m-2","orderId":"o/\"2\"","customerId":"Zo\u00eb \"Q\" \\ x","items":[{"productId":"P\u00e9/1",)"
    R"("quantity":1000000,"price":100000.00}],"totalAmount":100000000000.00,"createdAt":"2024-01-15T10:30:00.000Z"})";

engine::SagaDefinition Definition() {
  return MakeOrderSaga({Millis(1'000), 3, 3});
}

struct Sent {
  std::string name;
  std::string payload;
};

// Every message the saga can send for `data`, named.
std::vector<Sent> AllMessages(const engine::SagaDefinition& saga, const std::string& order_id,
                              const std::string& data) {
  const std::string at = "2024-01-15T10:30:00.000Z";
  const engine::SagaContext context{kSagaId, order_id, data, at};
  std::vector<Sent> sent;
  for (const auto& stage : saga.stages) {
    for (const auto& step : stage.steps) {
      sent.push_back({step.name + " command", step.build_command(context, order_id + ":" + step.name, "id-c")});
      if (step.build_compensation) {
        sent.push_back({step.name + " compensation",
                        step.build_compensation(context, order_id + ":" + step.name + ":compensation", "id-u")});
      }
    }
  }
  for (bool completed : {true, false}) {
    for (const auto& outcome : saga.outcome.build(context, completed, completed ? "" : "payment_declined",
                                                  order_id + ":outcome", "id-o", "2024-01-15T10:30:02.000Z")) {
      sent.push_back({"outcome " + outcome.topic, outcome.payload});
    }
  }
  const auto progress = saga.build_progress(context, {"saga_started", ""}, "id-p", "2024-01-15T10:30:00.100Z");
  if (progress) sent.push_back({"progress " + progress->topic, progress->payload});
  const auto step_failed =
      saga.build_progress(context, {"payment_failed", "payment_declined"}, "id-s", "2024-01-15T10:30:01.000Z");
  if (step_failed) sent.push_back({"progress " + step_failed->topic, step_failed->payload});
  return sent;
}

void ExpectMessages(const std::string& order_id, const std::string& data, const std::vector<Sent>& expected) {
  const std::vector<Sent> actual = AllMessages(Definition(), order_id, data);
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(actual[i].name, expected[i].name);
    EXPECT_EQ(actual[i].payload, expected[i].payload) << actual[i].name;
  }
}

TEST(OrderSagaMessages, APlainOrder) {
  ExpectMessages(
      "order-1", kPlain,
      {
          {"payment command",
           R"json({"messageId":"id-c","orderId":"order-1","idempotencyKey":"order-1:payment","customerId":"C123","amount":64.98})json"},
          {"payment compensation",
           R"json({"messageId":"id-u","orderId":"order-1","idempotencyKey":"order-1:payment:compensation","amount":64.98})json"},
          {"inventory command",
           R"json({"messageId":"id-c","orderId":"order-1","idempotencyKey":"order-1:inventory","items":[{"productId":"P001","quantity":2},{"productId":"P002","quantity":1}]})json"},
          {"inventory compensation",
           R"json({"messageId":"id-u","orderId":"order-1","idempotencyKey":"order-1:inventory:compensation"})json"},
          {"outcome orders/completed",
           R"json({"messageId":"id-o","orderId":"order-1","idempotencyKey":"order-1:outcome","at":"2024-01-15T10:30:02.000Z"})json"},
          {"outcome orders/cancelled",
           R"json({"messageId":"id-o","orderId":"order-1","idempotencyKey":"order-1:outcome","reason":"payment_declined","at":"2024-01-15T10:30:02.000Z"})json"},
          {"progress orders/progress",
           R"json({"messageId":"id-p","orderId":"order-1","event":"saga_started","status":"PROCESSING","at":"2024-01-15T10:30:00.100Z"})json"},
          {"progress orders/progress",
           R"json({"messageId":"id-s","orderId":"order-1","event":"payment_failed","reason":"payment_declined","at":"2024-01-15T10:30:01.000Z"})json"},
      });
}

TEST(OrderSagaMessages, AnOrderWithEscapesUnicodeAndTheLargestTotal) {
  ExpectMessages(
      R"(o/"2")", kUnusual,
      {
          {"payment command",
           R"json({"messageId":"id-c","orderId":"o/\"2\"","idempotencyKey":"o/\"2\":payment","customerId":"Zoë \"Q\" \\ x","amount":100000000000.00})json"},
          {"payment compensation",
           R"json({"messageId":"id-u","orderId":"o/\"2\"","idempotencyKey":"o/\"2\":payment:compensation","amount":100000000000.00})json"},
          {"inventory command",
           R"json({"messageId":"id-c","orderId":"o/\"2\"","idempotencyKey":"o/\"2\":inventory","items":[{"productId":"Pé/1","quantity":1000000}]})json"},
          {"inventory compensation",
           R"json({"messageId":"id-u","orderId":"o/\"2\"","idempotencyKey":"o/\"2\":inventory:compensation"})json"},
          {"outcome orders/completed",
           R"json({"messageId":"id-o","orderId":"o/\"2\"","idempotencyKey":"o/\"2\":outcome","at":"2024-01-15T10:30:02.000Z"})json"},
          {"outcome orders/cancelled",
           R"json({"messageId":"id-o","orderId":"o/\"2\"","idempotencyKey":"o/\"2\":outcome","reason":"payment_declined","at":"2024-01-15T10:30:02.000Z"})json"},
          {"progress orders/progress",
           R"json({"messageId":"id-p","orderId":"o/\"2\"","event":"saga_started","status":"PROCESSING","at":"2024-01-15T10:30:00.100Z"})json"},
          {"progress orders/progress",
           R"json({"messageId":"id-s","orderId":"o/\"2\"","event":"payment_failed","reason":"payment_declined","at":"2024-01-15T10:30:01.000Z"})json"},
      });
}

// --- The contract: what the services decode --------------------------------------------------------------------

// The message decoded as its consumer decodes it and written again: the same bytes if the two sides agree, else the
// decoder's complaint.
template <typename Decode>
std::string AsTheConsumerReadsIt(std::string_view payload, Decode decode) {
  auto decoded = wire::DecodeText(payload, decode);
  return decoded.ok() ? wire::Encode(*decoded) : "does not decode: " + decoded.status().ToString();
}

// By the names AllMessages gives them.
std::string AsTheConsumerReadsIt(const Sent& sent) {
  if (sent.name == "payment command") return AsTheConsumerReadsIt(sent.payload, wire::DecodePaymentProcess);
  if (sent.name == "payment compensation") return AsTheConsumerReadsIt(sent.payload, wire::DecodePaymentRefund);
  if (sent.name == "inventory command") return AsTheConsumerReadsIt(sent.payload, wire::DecodeInventoryReserve);
  if (sent.name == "inventory compensation") return AsTheConsumerReadsIt(sent.payload, wire::DecodeInventoryRelease);
  if (sent.name == "outcome orders/completed") return AsTheConsumerReadsIt(sent.payload, wire::DecodeOrderCompleted);
  if (sent.name == "outcome orders/cancelled") return AsTheConsumerReadsIt(sent.payload, wire::DecodeOrderCancelled);
  if (sent.name == "progress orders/progress") return AsTheConsumerReadsIt(sent.payload, wire::DecodeOrderProgress);
  return "no decoder for " + sent.name;
}

TEST(OrderSagaMessages, TheStartMessagesAreWhatTheOrderServiceWrites) {
  EXPECT_EQ(wire::Encode(wire::OrderCreated{
                "m-1", "order-1", "C123", {{"P001", 2, 2999}, {"P002", 1, 500}}, 6498, "2024-01-15T10:30:00.000Z"}),
            kPlain);
  // The order service writes "ë" as it is; the escaped form is the same string to every reader.
  auto unusual = wire::DecodeText(kUnusual, wire::DecodeOrderCreated);
  ASSERT_TRUE(unusual.ok()) << unusual.status().ToString();
  EXPECT_EQ(unusual->customer_id, "Zoë \"Q\" \\ x");
  EXPECT_EQ(unusual->total_cents, 10'000'000'000'000);
}

TEST(OrderSagaMessages, EveryMessageIsWhatItsConsumerDecodes) {
  for (const auto& [order_id, data] :
       {std::pair<std::string, std::string>{"order-1", kPlain}, {R"(o/"2")", kUnusual}}) {
    const auto sent = AllMessages(Definition(), order_id, data);
    ASSERT_EQ(sent.size(), 8U);
    for (const auto& message : sent) EXPECT_EQ(AsTheConsumerReadsIt(message), message.payload) << message.name;
  }
}

TEST(OrderSagaMessages, TheServicesReadTheOrdersValuesFromThem) {
  const auto sent = AllMessages(Definition(), "order-1", kPlain);
  ASSERT_EQ(sent.size(), 8U);
  auto process = wire::DecodeText(sent[0].payload, wire::DecodePaymentProcess);
  ASSERT_TRUE(process.ok()) << process.status().ToString();
  EXPECT_EQ(process->amount_cents, 6498);
  EXPECT_EQ(process->idempotency_key, "order-1:payment");
  auto refund = wire::DecodeText(sent[1].payload, wire::DecodePaymentRefund);
  ASSERT_TRUE(refund.ok()) << refund.status().ToString();
  EXPECT_EQ(refund->amount_cents, 6498);
  auto reserve = wire::DecodeText(sent[2].payload, wire::DecodeInventoryReserve);
  ASSERT_TRUE(reserve.ok()) << reserve.status().ToString();
  ASSERT_EQ(reserve->items.size(), 2U);
  EXPECT_EQ(reserve->items[0].product_id, "P001");
  EXPECT_EQ(reserve->items[0].quantity, 2);
  EXPECT_EQ(reserve->items[1].product_id, "P002");
  EXPECT_EQ(reserve->items[1].quantity, 1);
  auto cancelled = wire::DecodeText(sent[5].payload, wire::DecodeOrderCancelled);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().ToString();
  EXPECT_EQ(cancelled->reason, "payment_declined");
  EXPECT_EQ(cancelled->idempotency_key, "order-1:outcome");
  auto progress = wire::DecodeText(sent[6].payload, wire::DecodeOrderProgress);
  ASSERT_TRUE(progress.ok()) << progress.status().ToString();
  EXPECT_EQ(progress->event, "saga_started");
  EXPECT_EQ(progress->status, "PROCESSING");
  auto step_failed = wire::DecodeText(sent[7].payload, wire::DecodeOrderProgress);
  ASSERT_TRUE(step_failed.ok()) << step_failed.status().ToString();
  EXPECT_EQ(step_failed->event, "payment_failed");
  EXPECT_EQ(step_failed->reason, "payment_declined");
  EXPECT_TRUE(step_failed->status.empty());
}

}  // namespace
}  // namespace sagaflow::order_saga

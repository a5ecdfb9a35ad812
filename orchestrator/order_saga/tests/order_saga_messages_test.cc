// The bytes of every message the order saga sends, for orders/created payloads as the order service publishes
// them: the payment and inventory services decode exactly these, so a change of definition (in C++ or in a file)
// must leave them as they are, field order and number text included.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "orchestrator/engine/saga_definition.h"
#include "orchestrator/order_saga/order_saga.h"

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
  const auto progress =
      saga.build_progress(context, {"saga_started", "PROCESSING"}, "id-p", "2024-01-15T10:30:00.100Z");
  if (progress) sent.push_back({"progress " + progress->topic, progress->payload});
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
      });
}

}  // namespace
}  // namespace sagaflow::order_saga

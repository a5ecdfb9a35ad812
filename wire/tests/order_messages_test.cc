// The orders/ topics' messages: the bytes pinned as the order service and the order saga's definition write them,
// every pinned message decoded and encoded back to the same bytes, and each required field's absence named.
#include "wire/order_messages.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "wire/decode_text.h"

namespace sagaflow::wire {
namespace {

constexpr std::string_view kCreated =
    R"({"messageId":"m-1","orderId":"order-1","customerId":"C123","items":[{"productId":"P001","quantity":2,)"
    R"("price":29.99},{"productId":"P002","quantity":1,"price":5.00}],"totalAmount":64.98,)"
    R"("createdAt":"2024-01-15T10:30:00.000Z"})";
// Escapes and unicode as JsonWriter writes them, and the largest total an order may have.
constexpr std::string_view kUnusualCreated =
    R"({"messageId":"m-2","orderId":"o/\"2\"","customerId":"Zoë \"Q\" \\ x\u0007","items":[{"productId":"Pé/1",)"
    R"("quantity":1000000,"price":100000.00}],"totalAmount":100000000000.00,"createdAt":"2024-01-15T10:30:00.000Z"})";
constexpr std::string_view kCompleted =
    R"({"messageId":"id-o","orderId":"order-1","idempotencyKey":"order-1:outcome","at":"2024-01-15T10:30:02.000Z"})";
constexpr std::string_view kCancelled =
    R"({"messageId":"id-o","orderId":"order-1","idempotencyKey":"order-1:outcome","reason":"payment_declined",)"
    R"("at":"2024-01-15T10:30:02.000Z"})";
constexpr std::string_view kProgress =
    R"({"messageId":"id-p","orderId":"order-1","event":"saga_started","status":"PROCESSING",)"
    R"("at":"2024-01-15T10:30:00.100Z"})";
constexpr std::string_view kProgressWithoutStatus =
    R"({"messageId":"id-p","orderId":"order-1","event":"payment_succeeded","at":"2024-01-15T10:30:00.100Z"})";
constexpr std::string_view kProgressWithReason =
    R"({"messageId":"id-p","orderId":"order-1","event":"payment_failed","reason":"payment_declined",)"
    R"("at":"2024-01-15T10:30:00.100Z"})";

TEST(OrderMessagesTest, EncodeWritesThePinnedBytes) {
  EXPECT_EQ(Encode(OrderCreated{
                "m-1", "order-1", "C123", {{"P001", 2, 2999}, {"P002", 1, 500}}, 6498, "2024-01-15T10:30:00.000Z"}),
            kCreated);
  EXPECT_EQ(Encode(OrderCreated{"m-2",
                                R"(o/"2")",
                                "Zoë \"Q\" \\ x\a",
                                {{"Pé/1", 1'000'000, 10'000'000}},
                                10'000'000'000'000,
                                "2024-01-15T10:30:00.000Z"}),
            kUnusualCreated);
  EXPECT_EQ(Encode(OrderCompleted{"id-o", "order-1", "order-1:outcome", "2024-01-15T10:30:02.000Z"}), kCompleted);
  EXPECT_EQ(
      Encode(OrderCancelled{"id-o", "order-1", "order-1:outcome", "payment_declined", "2024-01-15T10:30:02.000Z"}),
      kCancelled);
  EXPECT_EQ(Encode(OrderProgress{"id-p", "order-1", "saga_started", "PROCESSING", "2024-01-15T10:30:00.100Z", ""}),
            kProgress);
  EXPECT_EQ(Encode(OrderProgress{"id-p", "order-1", "payment_succeeded", "", "2024-01-15T10:30:00.100Z", ""}),
            kProgressWithoutStatus);
  EXPECT_EQ(
      Encode(OrderProgress{"id-p", "order-1", "payment_failed", "", "2024-01-15T10:30:00.100Z", "payment_declined"}),
      kProgressWithReason);
}

TEST(OrderMessagesTest, EveryPinnedMessageDecodesAndEncodesBackToItsBytes) {
  for (std::string_view text : {kCreated, kUnusualCreated}) {
    auto created = DecodeText(text, DecodeOrderCreated);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    EXPECT_EQ(Encode(*created), text);
  }
  auto unusual = DecodeText(kUnusualCreated, DecodeOrderCreated);
  EXPECT_EQ(unusual->order_id, R"(o/"2")");
  EXPECT_EQ(unusual->customer_id, "Zoë \"Q\" \\ x\a");
  EXPECT_EQ(unusual->total_cents, 10'000'000'000'000);
  EXPECT_EQ(unusual->items[0].price_cents, 10'000'000);

  auto completed = DecodeText(kCompleted, DecodeOrderCompleted);
  ASSERT_TRUE(completed.ok()) << completed.status().ToString();
  EXPECT_EQ(Encode(*completed), kCompleted);
  auto cancelled = DecodeText(kCancelled, DecodeOrderCancelled);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().ToString();
  EXPECT_EQ(cancelled->reason, "payment_declined");
  EXPECT_EQ(Encode(*cancelled), kCancelled);
  for (std::string_view text : {kProgress, kProgressWithoutStatus, kProgressWithReason}) {
    auto progress = DecodeText(text, DecodeOrderProgress);
    ASSERT_TRUE(progress.ok()) << progress.status().ToString();
    EXPECT_EQ(Encode(*progress), text);
  }
  EXPECT_EQ(DecodeText(kProgressWithReason, DecodeOrderProgress)->reason, "payment_declined");
}

TEST(OrderMessagesTest, OrdersCreatedNamesTheFieldThatIsWrong) {
  for (const auto& [text, problem] : {
           std::pair<std::string, std::string>{R"({"messageId":"m","orderId":"o","items":[],"totalAmount":0})",
                                               "customerId is missing"},
           {R"({"messageId":"m","orderId":"o","customerId":7})", "customerId must be a string"},
           {R"({"messageId":"m","orderId":"o","customerId":"c","items":[{"productId":"P","quantity":1,"price":"1"}]})",
            "items[0].price must be a number"},
           {R"({"messageId":"m","orderId":"o","customerId":"c","items":[],"totalAmount":1.001})",
            "totalAmount has more than 2 decimals"},
           {R"({"messageId":"m","orderId":"o","customerId":"c","items":[],"totalAmount":1})", "createdAt is missing"},
       }) {
    auto decoded = DecodeText(text, DecodeOrderCreated);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_TRUE(decoded.status().IsInvalidArgument()) << text;
    EXPECT_EQ(decoded.status().message(), problem) << text;
  }
}

TEST(OrderMessagesTest, AnOutcomeNeedsItsKeyAndMayLackWhatADefinitionLeavesOut) {
  auto bare = DecodeText(R"({"messageId":"m","orderId":"o","idempotencyKey":"o:outcome"})", DecodeOrderCancelled);
  ASSERT_TRUE(bare.ok()) << bare.status().ToString();
  EXPECT_TRUE(bare->reason.empty());
  EXPECT_TRUE(bare->at.empty());
  auto without_key = DecodeText(R"({"messageId":"m","orderId":"o","at":"x"})", DecodeOrderCompleted);
  ASSERT_FALSE(without_key.ok());
  EXPECT_EQ(without_key.status().message(), "idempotencyKey is missing");
  auto numeric_reason =
      DecodeText(R"({"messageId":"m","orderId":"o","idempotencyKey":"k","reason":7})", DecodeOrderCancelled);
  ASSERT_FALSE(numeric_reason.ok());
  EXPECT_EQ(numeric_reason.status().message(), "reason must be a string");
}

TEST(OrderMessagesTest, ProgressNeedsItsEvent) {
  auto without_event = DecodeText(R"({"messageId":"m","orderId":"o","status":"PROCESSING"})", DecodeOrderProgress);
  ASSERT_FALSE(without_event.ok());
  EXPECT_EQ(without_event.status().message(), "event is missing");
  auto bare = DecodeText(R"({"messageId":"m","orderId":"o","event":"e"})", DecodeOrderProgress);
  ASSERT_TRUE(bare.ok()) << bare.status().ToString();
  EXPECT_EQ(Encode(*bare), R"({"messageId":"m","orderId":"o","event":"e"})");
}

}  // namespace
}  // namespace sagaflow::wire

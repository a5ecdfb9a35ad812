// deadletter/<topic>: the bytes pinned as messaging/consumer.cc writes them, decoded and encoded back to the same
// bytes, under our correlation field and another.
#include "wire/dead_letter_message.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "wire/decode_text.h"

namespace sagaflow::wire {
namespace {

constexpr std::string_view kDeadLetter =
    R"({"messageId":"d-1","orderId":"order-1","topic":"payments/process","payload":"{\"messageId\":\"m\"}",)"
    R"("error":"amount is missing","at":"2024-01-15T10:30:00.000Z","when":"2024-01-15T10:30:00.000Z"})";

TEST(DeadLetterMessageTest, EncodeWritesThePinnedBytes) {
  EXPECT_EQ(Encode(DeadLetter{"d-1", "orderId", "order-1", "payments/process", R"({"messageId":"m"})",
                              "amount is missing", "2024-01-15T10:30:00.000Z"}),
            kDeadLetter);
}

TEST(DeadLetterMessageTest, ThePinnedMessageDecodesAndEncodesBackToItsBytes) {
  auto dead = DecodeText(kDeadLetter, [](simdjson::dom::object body) { return DecodeDeadLetter(body); });
  ASSERT_TRUE(dead.ok()) << dead.status().ToString();
  EXPECT_EQ(dead->correlation_id, "order-1");
  EXPECT_EQ(dead->payload, R"({"messageId":"m"})");
  EXPECT_EQ(dead->error, "amount is missing");
  EXPECT_EQ(Encode(*dead), kDeadLetter);
}

TEST(DeadLetterMessageTest, AnotherSagasCorrelationFieldIsReadUnderItsName) {
  const std::string trip =
      R"({"messageId":"d-2","tripId":"","topic":"trips/requested","payload":"x","error":"e","at":"t","when":"t"})";
  auto dead = DecodeText(trip, [](simdjson::dom::object body) { return DecodeDeadLetter(body, "tripId"); });
  ASSERT_TRUE(dead.ok()) << dead.status().ToString();
  EXPECT_EQ(dead->correlation_field, "tripId");
  EXPECT_TRUE(dead->correlation_id.empty());
  EXPECT_EQ(Encode(*dead), trip);

  auto as_order = DecodeText(trip, [](simdjson::dom::object body) { return DecodeDeadLetter(body); });
  ASSERT_FALSE(as_order.ok());
  EXPECT_EQ(as_order.status().message(), "orderId is missing");
  auto without_when = DecodeText(R"({"messageId":"d","orderId":"o","topic":"t","payload":"p","error":"e","at":"t"})",
                                 [](simdjson::dom::object body) { return DecodeDeadLetter(body); });
  ASSERT_FALSE(without_when.ok());
  EXPECT_EQ(without_when.status().message(), "when is missing");
}

}  // namespace
}  // namespace sagaflow::wire

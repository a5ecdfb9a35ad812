// notifications/sent: the bytes pinned as the notification service writes them, decoded and encoded back to the
// same bytes, and each field's absence named.
#include "wire/notification_messages.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "wire/decode_text.h"

namespace sagaflow::wire {
namespace {

constexpr std::string_view kSent =
    R"({"messageId":"n-1","orderId":"order-1","idempotencyKey":"order-1:outcome","kind":"order_completed",)"
    R"("at":"2024-01-15T10:30:03.000Z"})";

TEST(NotificationMessagesTest, EncodeWritesThePinnedBytes) {
  EXPECT_EQ(
      Encode(NotificationSent{"n-1", "order-1", "order-1:outcome", "order_completed", "2024-01-15T10:30:03.000Z"}),
      kSent);
}

TEST(NotificationMessagesTest, ThePinnedMessageDecodesAndEncodesBackToItsBytes) {
  auto sent = DecodeText(kSent, DecodeNotificationSent);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->idempotency_key, "order-1:outcome");
  EXPECT_EQ(sent->kind, "order_completed");
  EXPECT_EQ(Encode(*sent), kSent);
}

TEST(NotificationMessagesTest, EveryFieldIsRequired) {
  for (const auto& [text, problem] : {
           std::pair<std::string, std::string>{R"({"orderId":"o","idempotencyKey":"k","kind":"x","at":"t"})",
                                               "messageId is missing"},
           {R"({"messageId":"m","orderId":"o","kind":"x","at":"t"})", "idempotencyKey is missing"},
           {R"({"messageId":"m","orderId":"o","idempotencyKey":"k","at":"t"})", "kind is missing"},
           {R"({"messageId":"m","orderId":"o","idempotencyKey":"k","kind":"x","at":1})", "at must be a string"},
       }) {
    auto decoded = DecodeText(text, DecodeNotificationSent);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_EQ(decoded.status().message(), problem) << text;
  }
  EXPECT_EQ(DecodeText("[]", DecodeNotificationSent).status().message(), "a message must be a JSON object");
  EXPECT_TRUE(DecodeText("{", DecodeNotificationSent).status().IsInvalidArgument());
}

}  // namespace
}  // namespace sagaflow::wire

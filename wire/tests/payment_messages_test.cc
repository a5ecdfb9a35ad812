// The payment step's messages: the bytes pinned as the orchestrator's definition and the payment service write them
// (docs/participants.md shows the same), every pinned message decoded and encoded back to the same bytes, and each
// required field's absence named.
#include "wire/payment_messages.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "wire/decode_text.h"

namespace sagaflow::wire {
namespace {

constexpr std::string_view kProcess =
    R"({"messageId":"id-c","orderId":"order-1","idempotencyKey":"order-1:payment","customerId":"C123","amount":64.98})";
constexpr std::string_view kCharged =
    R"({"messageId":"r-1","orderId":"order-1","idempotencyKey":"order-1:payment","paymentId":"p-1","amount":64.98,)"
    R"("success":true,"processedAt":"2024-01-15T10:30:01.000Z"})";
constexpr std::string_view kDeclined =
    R"({"messageId":"r-2","orderId":"order-2","idempotencyKey":"order-2:payment","paymentId":"p-2","amount":20000.00,)"
    R"("success":false,"reason":"payment_declined","processedAt":"2024-01-15T10:30:01.000Z"})";
constexpr std::string_view kRefund =
    R"({"messageId":"id-u","orderId":"order-1","idempotencyKey":"order-1:payment:compensation","amount":64.98})";
constexpr std::string_view kRefunded =
    R"({"messageId":"r-3","orderId":"order-1","idempotencyKey":"order-1:payment:compensation","success":true,)"
    R"("status":"REFUNDED","refundedAt":"2024-01-15T10:30:03.000Z"})";

TEST(PaymentMessagesTest, EncodeWritesThePinnedBytes) {
  EXPECT_EQ(Encode(PaymentProcess{"id-c", "order-1", "order-1:payment", "C123", 6498}), kProcess);
  EXPECT_EQ(
      Encode(PaymentProcessed{"r-1", "order-1", "order-1:payment", "p-1", 6498, true, "", "2024-01-15T10:30:01.000Z"}),
      kCharged);
  EXPECT_EQ(Encode(PaymentProcessed{"r-2", "order-2", "order-2:payment", "p-2", 2'000'000, false, "payment_declined",
                                    "2024-01-15T10:30:01.000Z"}),
            kDeclined);
  EXPECT_EQ(Encode(PaymentRefund{"id-u", "order-1", "order-1:payment:compensation", 6498}), kRefund);
  EXPECT_EQ(Encode(PaymentRefunded{"r-3", "order-1", "order-1:payment:compensation", true, "REFUNDED",
                                   "2024-01-15T10:30:03.000Z"}),
            kRefunded);
}

TEST(PaymentMessagesTest, EveryPinnedMessageDecodesAndEncodesBackToItsBytes) {
  auto process = DecodeText(kProcess, DecodePaymentProcess);
  ASSERT_TRUE(process.ok()) << process.status().ToString();
  EXPECT_EQ(process->amount_cents, 6498);
  EXPECT_EQ(process->customer_id, "C123");
  EXPECT_EQ(Encode(*process), kProcess);

  for (std::string_view text : {kCharged, kDeclined}) {
    auto processed = DecodeText(text, DecodePaymentProcessed);
    ASSERT_TRUE(processed.ok()) << processed.status().ToString();
    EXPECT_EQ(Encode(*processed), text);
  }
  auto declined = DecodeText(kDeclined, DecodePaymentProcessed);
  EXPECT_FALSE(declined->success);
  EXPECT_EQ(declined->reason, "payment_declined");
  EXPECT_EQ(declined->amount_cents, 2'000'000);

  auto refund = DecodeText(kRefund, DecodePaymentRefund);
  ASSERT_TRUE(refund.ok()) << refund.status().ToString();
  EXPECT_EQ(refund->idempotency_key, "order-1:payment:compensation");
  EXPECT_EQ(Encode(*refund), kRefund);

  auto refunded = DecodeText(kRefunded, DecodePaymentRefunded);
  ASSERT_TRUE(refunded.ok()) << refunded.status().ToString();
  EXPECT_EQ(refunded->status, "REFUNDED");
  EXPECT_EQ(Encode(*refunded), kRefunded);
}

TEST(PaymentMessagesTest, AProcessNeedsItsAmountButNotItsCustomer) {
  auto without_customer =
      DecodeText(R"({"messageId":"m","orderId":"o","idempotencyKey":"o:payment","amount":1.50})", DecodePaymentProcess);
  ASSERT_TRUE(without_customer.ok()) << without_customer.status().ToString();
  EXPECT_EQ(without_customer->amount_cents, 150);
  EXPECT_EQ(Encode(*without_customer), R"({"messageId":"m","orderId":"o","idempotencyKey":"o:payment","amount":1.50})");

  for (const auto& [text, problem] :
       {std::pair<std::string, std::string>{R"({"messageId":"m","orderId":"o","idempotencyKey":"k"})",
                                            "amount is missing"},
        {R"({"messageId":"m","orderId":"o","idempotencyKey":"k","amount":"1.50"})", "amount must be a number"},
        {R"({"messageId":"m","orderId":"o","idempotencyKey":"k","amount":1.505})", "amount has more than 2 decimals"},
        {R"({"messageId":"m","orderId":"o","idempotencyKey":"k","amount":-1})", "amount is out of range"},
        {R"({"messageId":"m","orderId":"o","amount":1})", "idempotencyKey is missing"},
        {R"({"messageId":"m","orderId":"o","idempotencyKey":"k","customerId":7,"amount":1})",
         "customerId must be a string"}}) {
    auto decoded = DecodeText(text, DecodePaymentProcess);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_TRUE(decoded.status().IsInvalidArgument()) << text;
    EXPECT_EQ(decoded.status().message(), problem) << text;
  }
}

TEST(PaymentMessagesTest, ARefundWithoutAnAmountIsStillARefund) {
  auto refund =
      DecodeText(R"({"messageId":"m","orderId":"o","idempotencyKey":"o:payment:compensation"})", DecodePaymentRefund);
  ASSERT_TRUE(refund.ok()) << refund.status().ToString();
  EXPECT_EQ(refund->amount_cents, std::nullopt);
  EXPECT_EQ(Encode(*refund), R"({"messageId":"m","orderId":"o","idempotencyKey":"o:payment:compensation"})");
  // Refusing the refund would leave the charge in place for good: an amount that is not money is left out.
  auto unreadable = DecodeText(
      R"({"messageId":"m","orderId":"o","idempotencyKey":"o:payment:compensation","amount":"5"})", DecodePaymentRefund);
  ASSERT_TRUE(unreadable.ok()) << unreadable.status().ToString();
  EXPECT_EQ(unreadable->amount_cents, std::nullopt);
  auto without_key = DecodeText(R"({"messageId":"m","orderId":"o","amount":5})", DecodePaymentRefund);
  ASSERT_FALSE(without_key.ok());
  EXPECT_EQ(without_key.status().message(), "idempotencyKey is missing");
}

TEST(PaymentMessagesTest, AReplyNeedsItsSuccessAndNothingThePaymentServiceAddsOfItsOwn) {
  // A participant written in another language answers with the fields docs/participants.md asks for.
  auto minimal =
      DecodeText(R"({"messageId":"m","orderId":"o","idempotencyKey":"o:payment","success":false,"reason":"x"})",
                 DecodePaymentProcessed);
  ASSERT_TRUE(minimal.ok()) << minimal.status().ToString();
  EXPECT_EQ(minimal->reason, "x");
  EXPECT_EQ(minimal->amount_cents, std::nullopt);
  EXPECT_TRUE(minimal->payment_id.empty());

  auto without_success =
      DecodeText(R"({"messageId":"m","orderId":"o","idempotencyKey":"o:payment"})", DecodePaymentProcessed);
  ASSERT_FALSE(without_success.ok());
  EXPECT_EQ(without_success.status().message(), "success is missing");
  auto refunded_without_success =
      DecodeText(R"({"messageId":"m","orderId":"o","idempotencyKey":"k","success":"yes"})", DecodePaymentRefunded);
  ASSERT_FALSE(refunded_without_success.ok());
  EXPECT_EQ(refunded_without_success.status().message(), "success must be a boolean");
}

}  // namespace
}  // namespace sagaflow::wire

// The inventory step's messages: the bytes pinned as the orchestrator's definition and the inventory service write
// them, every pinned message decoded and encoded back to the same bytes, and each required field's absence named.
#include "wire/inventory_messages.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "wire/decode_text.h"

namespace sagaflow::wire {
namespace {

constexpr std::string_view kReserve =
    R"({"messageId":"id-c","orderId":"order-1","idempotencyKey":"order-1:inventory","items":[)"
    R"({"productId":"P001","quantity":2},{"productId":"Pé/\"1\"","quantity":1000000}]})";
constexpr std::string_view kReserved =
    R"({"messageId":"r-1","orderId":"order-1","idempotencyKey":"order-1:inventory","reservationId":"res-1",)"
    R"("success":true,"reservedAt":"2024-01-15T10:30:00.800Z"})";
constexpr std::string_view kRejected =
    R"({"messageId":"r-2","orderId":"order-2","idempotencyKey":"order-2:inventory","reservationId":"res-2",)"
    R"("success":false,"reason":"out_of_stock","reservedAt":"2024-01-15T10:30:00.800Z"})";
constexpr std::string_view kRelease =
    R"({"messageId":"id-u","orderId":"order-1","idempotencyKey":"order-1:inventory:compensation"})";
constexpr std::string_view kReleased =
    R"({"messageId":"r-3","orderId":"order-1","idempotencyKey":"order-1:inventory:compensation","success":true,)"
    R"("status":"RELEASED","releasedAt":"2024-01-15T10:30:03.000Z"})";

TEST(InventoryMessagesTest, EncodeWritesThePinnedBytes) {
  EXPECT_EQ(Encode(InventoryReserve{"id-c", "order-1", "order-1:inventory", {{"P001", 2}, {"Pé/\"1\"", 1'000'000}}}),
            kReserve);
  EXPECT_EQ(
      Encode(InventoryReserved{"r-1", "order-1", "order-1:inventory", "res-1", true, "", "2024-01-15T10:30:00.800Z"}),
      kReserved);
  EXPECT_EQ(Encode(InventoryReserved{"r-2", "order-2", "order-2:inventory", "res-2", false, "out_of_stock",
                                     "2024-01-15T10:30:00.800Z"}),
            kRejected);
  EXPECT_EQ(Encode(InventoryRelease{"id-u", "order-1", "order-1:inventory:compensation"}), kRelease);
  EXPECT_EQ(Encode(InventoryReleased{"r-3", "order-1", "order-1:inventory:compensation", true, "RELEASED",
                                     "2024-01-15T10:30:03.000Z"}),
            kReleased);
}

TEST(InventoryMessagesTest, EveryPinnedMessageDecodesAndEncodesBackToItsBytes) {
  auto reserve = DecodeText(kReserve, DecodeInventoryReserve);
  ASSERT_TRUE(reserve.ok()) << reserve.status().ToString();
  ASSERT_EQ(reserve->items.size(), 2U);
  EXPECT_EQ(reserve->items[1].product_id, "Pé/\"1\"");
  EXPECT_EQ(reserve->items[1].quantity, 1'000'000);
  EXPECT_EQ(Encode(*reserve), kReserve);

  for (std::string_view text : {kReserved, kRejected}) {
    auto reserved = DecodeText(text, DecodeInventoryReserved);
    ASSERT_TRUE(reserved.ok()) << reserved.status().ToString();
    EXPECT_EQ(Encode(*reserved), text);
  }
  EXPECT_EQ(DecodeText(kRejected, DecodeInventoryReserved)->reason, "out_of_stock");

  auto release = DecodeText(kRelease, DecodeInventoryRelease);
  ASSERT_TRUE(release.ok()) << release.status().ToString();
  EXPECT_EQ(Encode(*release), kRelease);

  auto released = DecodeText(kReleased, DecodeInventoryReleased);
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  EXPECT_EQ(released->status, "RELEASED");
  EXPECT_EQ(Encode(*released), kReleased);
}

TEST(InventoryMessagesTest, AReserveNamesTheItemThatIsWrong) {
  const std::string start = R"({"messageId":"m","orderId":"o","idempotencyKey":"o:inventory")";
  for (const auto& [items, problem] :
       {std::pair<std::string, std::string>{"", "items is missing"},
        {R"(,"items":{})", "items must be an array"},
        {R"(,"items":[{"productId":"P1","quantity":1},"P2"])", "items[1] must be an object"},
        {R"(,"items":[{"quantity":1}])", "items[0].productId is missing"},
        {R"(,"items":[{"productId":"P1","quantity":1.5}])", "items[0].quantity must be an integer"}}) {
    auto decoded = DecodeText(start + items + "}", DecodeInventoryReserve);
    ASSERT_FALSE(decoded.ok()) << items;
    EXPECT_TRUE(decoded.status().IsInvalidArgument()) << items;
    EXPECT_EQ(decoded.status().message(), problem) << items;
  }
  // How many and how much are the inventory service's to judge: the wire carries them.
  auto odd = DecodeText(start + R"(,"items":[{"productId":"P1","quantity":0}]})", DecodeInventoryReserve);
  ASSERT_TRUE(odd.ok()) << odd.status().ToString();
  EXPECT_EQ(odd->items[0].quantity, 0);
  auto none = DecodeText(start + R"(,"items":[]})", DecodeInventoryReserve);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->items.empty());
}

TEST(InventoryMessagesTest, AReplyNeedsItsSuccessAndNothingTheInventoryServiceAddsOfItsOwn) {
  auto minimal = DecodeText(R"({"messageId":"m","orderId":"o","idempotencyKey":"o:inventory","success":true})",
                            DecodeInventoryReserved);
  ASSERT_TRUE(minimal.ok()) << minimal.status().ToString();
  EXPECT_TRUE(minimal->success);
  EXPECT_EQ(Encode(*minimal), R"({"messageId":"m","orderId":"o","idempotencyKey":"o:inventory","success":true})");
  auto without_success = DecodeText(R"({"messageId":"m","orderId":"o","idempotencyKey":"k","status":"RELEASED"})",
                                    DecodeInventoryReleased);
  ASSERT_FALSE(without_success.ok());
  EXPECT_EQ(without_success.status().message(), "success is missing");
}

}  // namespace
}  // namespace sagaflow::wire

// Unit tests of the inventory service's logic: the stock file, seeding, and Inventory wired as
// inventory-service wires it (CommandProcessor on a Consumer) against a real inventory.db —
// all-or-nothing reservations, releases that return stock once, voids, and the stock invariant
// (per product, initial = available + reserved) after a random sequence.
#include "services/inventory/inventory.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/logging.h"
#include "common/metrics.h"
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
#include "wire/inventory_messages.h"
#include "wire/testing/decoded.h"

namespace sagaflow::inventory {
namespace {

using Items = std::vector<std::pair<std::string, int64_t>>;

constexpr Millis kDelay{800};  // the default SAGAFLOW_INVENTORY_DELAY_MS

// --- ParseStockFile -------------------------------------------------------------------------------

TEST(ParseStockFileTest, ReadsNonNegativeIntegersPerProduct) {
  auto stock = ParseStockFile(R"({"P001": 1000, "P002": 0, "P003": 7})");
  ASSERT_TRUE(stock.ok()) << stock.status().ToString();
  EXPECT_EQ(*stock, (std::map<std::string, int64_t>{{"P001", 1000}, {"P002", 0}, {"P003", 7}}));
}

TEST(ParseStockFileTest, EmptyObjectIsEmptyStock) {
  auto stock = ParseStockFile("{}");
  ASSERT_TRUE(stock.ok()) << stock.status().ToString();
  EXPECT_TRUE(stock->empty());
}

TEST(ParseStockFileTest, RejectsNegativeStock) {
  auto stock = ParseStockFile(R"({"P001": 10, "P002": -1})");
  ASSERT_FALSE(stock.ok());
  EXPECT_TRUE(stock.status().IsInvalidArgument());
  EXPECT_NE(stock.status().message().find("P002"), std::string::npos) << stock.status().message();
}

TEST(ParseStockFileTest, RejectsNonIntegerStock) {
  for (const char* text : {R"({"P001": 1.5})", R"({"P001": "10"})", R"({"P001": null})", R"({"P001": true})",
                           R"({"P001": [1]})", R"({"P001": 1e3})", R"({"P001": 18446744073709551615})"}) {
    auto stock = ParseStockFile(text);
    EXPECT_FALSE(stock.ok()) << text;
    EXPECT_TRUE(stock.status().IsInvalidArgument()) << text;
  }
}

TEST(ParseStockFileTest, RejectsWhatIsNotAnObject) {
  for (const char* text : {"[]", R"([{"P001": 1}])", "42", R"("P001")", "null"}) {
    auto stock = ParseStockFile(text);
    EXPECT_FALSE(stock.ok()) << text;
    EXPECT_TRUE(stock.status().IsInvalidArgument()) << text;
  }
}

TEST(ParseStockFileTest, RejectsMalformedJson) {
  for (const char* text : {"", "{", R"({"P001": 1,})", R"({"P001": 1} {})", "\xff"}) {
    auto stock = ParseStockFile(text);
    EXPECT_FALSE(stock.ok()) << text;
  }
}

// --- The service -------------------------------------------------------------------------------------

struct ReservationRow {
  std::string reservation_id;
  std::string status;
  std::string reason;
};

struct Reply {
  std::string topic;
  std::string payload;
  std::string message_id;
  std::string order_id;
  std::string key;
  bool success = false;
  std::string reason;
  std::string status;
  std::string reservation_id;
};

class InventoryTest : public runtime::testing::ServiceTest {
 protected:
  void SetUp() override {
    SetUpService("inventory", "inventory.db");
    if (HasFatalFailure()) return;
    inventory_ = std::make_unique<Inventory>(clock_, random_, MakeNullLogger());
    processor_ = std::make_unique<commands::CommandProcessor>(*db_, *outbox_, clock_, MakeNullLogger());
  }

  void TearDown() override {
    processor_.reset();
    consumer_.reset();
    outbox_.reset();
    db_.reset();
  }

  // As inventory-service's main: reserve after `reserve_delay`, release at once.
  void Wire(Millis reserve_delay = Millis(0)) {
    ASSERT_TRUE(inventory_->Register(*processor_, *consumer_, reserve_delay).ok());
  }

  // As the nightly prune does to old replies: a repeated key then runs its executor again.
  void ForgetStoredReplies() { ASSERT_TRUE(processor_->PruneReplies(clock_.Now() + Millis(1), 1000).ok()); }

  void Seed(const std::map<std::string, int64_t>& stock) {
    auto added = SeedStock(*db_, stock);
    ASSERT_TRUE(added.ok()) << added.status().ToString();
  }

  std::string NextMessageId() { return "message-" + std::to_string(++messages_); }

  void Reserve(const std::string& order_id, const Items& items, const std::string& key = "") {
    wire::InventoryReserve reserve{NextMessageId(), order_id, key.empty() ? order_id + ":inventory" : key, {}};
    for (const auto& [product, quantity] : items) reserve.items.push_back({product, quantity});
    Deliver(reserve);
  }

  void Release(const std::string& order_id, const std::string& key = "") {
    Deliver(
        wire::InventoryRelease{NextMessageId(), order_id, key.empty() ? order_id + ":inventory:compensation" : key});
  }

  template <typename Message>
  void Deliver(const Message& message) {
    consumer_->Handle(messaging::IncomingMessage{std::string(Message::kTopic), wire::Encode(message)});
  }

  void DeliverRaw(std::string_view topic, const std::string& payload) {
    consumer_->Handle(messaging::IncomingMessage{std::string(topic), payload});
  }

  std::optional<int64_t> Available(const std::string& product) {
    std::optional<int64_t> available;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     auto& select = sql.Prepare("SELECT available FROM stock WHERE product_id = ?");
                     select.bind(1, product);
                     if (select.executeStep()) available = select.getColumn(0).getInt64();
                     return Status::Ok();
                   })
                    .ok());
    return available;
  }

  void SetAvailable(const std::string& product, int64_t available) {
    ASSERT_TRUE(db_->Write([&](storage::UnitOfWork& uow) {
                     auto& update = uow.Prepare("UPDATE stock SET available = ? WHERE product_id = ?");
                     update.bind(1, available);
                     update.bind(2, product);
                     update.exec();
                     return Status::Ok();
                   })
                    .ok());
  }

  std::optional<ReservationRow> Reservation(const std::string& order_id) {
    std::optional<ReservationRow> row;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     auto& select =
                         sql.Prepare("SELECT reservation_id, status, reason FROM reservations WHERE order_id = ?");
                     select.bind(1, order_id);
                     if (select.executeStep()) {
                       row = ReservationRow{select.getColumn(0).getString(), select.getColumn(1).getString(),
                                            select.getColumn(2).isNull() ? "" : select.getColumn(2).getString()};
                     }
                     return Status::Ok();
                   })
                    .ok());
    return row;
  }

  // reservation_items of one order's reservation, by product.
  std::map<std::string, int64_t> ReservedItems(const std::string& order_id) {
    std::map<std::string, int64_t> items;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     auto& select = sql.Prepare(
                         "SELECT i.product_id, i.quantity FROM reservation_items i "
                         "JOIN reservations r ON r.reservation_id = i.reservation_id WHERE r.order_id = ?");
                     select.bind(1, order_id);
                     while (select.executeStep()) {
                       items[select.getColumn(0).getString()] = select.getColumn(1).getInt64();
                     }
                     return Status::Ok();
                   })
                    .ok());
    return items;
  }

  // Per product: available + the quantities of RESERVED reservations, which must equal the initial stock.
  std::map<std::string, int64_t> AccountedStock() {
    std::map<std::string, int64_t> total;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     auto& select = sql.Prepare(
                         "SELECT s.product_id, s.available + COALESCE((SELECT SUM(i.quantity) FROM reservation_items i "
                         "JOIN reservations r ON r.reservation_id = i.reservation_id "
                         "WHERE r.status = 'RESERVED' AND i.product_id = s.product_id), 0) FROM stock s");
                     while (select.executeStep())
                       total[select.getColumn(0).getString()] = select.getColumn(1).getInt64();
                     return Status::Ok();
                   })
                    .ok());
    return total;
  }

  std::map<std::string, int64_t> StatusCounts() {
    std::map<std::string, int64_t> counts;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     auto& select = sql.Prepare("SELECT status, COUNT(*) FROM reservations GROUP BY status");
                     while (select.executeStep())
                       counts[select.getColumn(0).getString()] = select.getColumn(1).getInt64();
                     return Status::Ok();
                   })
                    .ok());
    return counts;
  }

  // Every reply in the outbox, decoded as the saga's side of the contract reads it; one that does not decode fails the
  // test.
  std::vector<Reply> Replies() {
    std::vector<Reply> replies;
    auto rows = outbox_->LoadUnpublished(100000);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    for (const auto& row : rows.ok() ? *rows : std::vector<storage::OutboxRow>{}) {
      if (row.topic == wire::InventoryReserved::kTopic) {
        const auto reply = wire::testing::Decoded(row.payload, wire::DecodeInventoryReserved);
        replies.push_back({row.topic, row.payload, reply.message_id, reply.order_id, reply.idempotency_key,
                           reply.success, reply.reason, "", reply.reservation_id});
      } else if (row.topic == wire::InventoryReleased::kTopic) {
        const auto reply = wire::testing::Decoded(row.payload, wire::DecodeInventoryReleased);
        replies.push_back({row.topic, row.payload, reply.message_id, reply.order_id, reply.idempotency_key,
                           reply.success, "", reply.status, ""});
      }  // a dead letter is no reply: see the dead_letters table
    }
    return replies;
  }

  std::vector<std::string> DeadLetterErrors() {
    std::vector<std::string> errors;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     auto& select = sql.Prepare("SELECT error FROM dead_letters ORDER BY id");
                     while (select.executeStep()) errors.push_back(select.getColumn(0).getString());
                     return Status::Ok();
                   })
                    .ok());
    return errors;
  }

  std::optional<Reply> LastReply() {
    auto replies = Replies();
    if (replies.empty()) return std::nullopt;
    return replies.back();
  }

  std::unique_ptr<Inventory> inventory_;
  std::unique_ptr<commands::CommandProcessor> processor_;
  int messages_ = 0;
};

TEST_F(InventoryTest, SeedStockInsertsOnlyMissingProductsAndNeverResets) {
  auto added = SeedStock(*db_, {{"P001", 10}, {"P002", 5}});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(*added, 2);
  SetAvailable("P001", 3);  // stock moved while the service ran

  added = SeedStock(*db_, {{"P001", 99}, {"P002", 77}, {"P003", 7}});  // a restart with another file
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(*added, 1);
  EXPECT_EQ(Available("P001"), 3);
  EXPECT_EQ(Available("P002"), 5);
  EXPECT_EQ(Available("P003"), 7);

  added = SeedStock(*db_, {{"P001", 1}, {"P002", 1}, {"P003", 1}});
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, 0);
  EXPECT_EQ(Available("P003"), 7);
}

TEST_F(InventoryTest, SeedStockKeepsStockThatReservationsTook) {
  Wire();
  Seed({{"P001", 10}});
  Reserve("order-1", {{"P001", 4}});
  Seed({{"P001", 10}});
  EXPECT_EQ(Available("P001"), 6);
  EXPECT_EQ(AccountedStock(), (std::map<std::string, int64_t>{{"P001", 10}}));
}

TEST_F(InventoryTest, ReserveTakesStockAndRecordsItems) {
  Wire();
  Seed({{"P001", 10}, {"P002", 5}});
  Reserve("order-1", {{"P001", 2}, {"P002", 1}});

  const auto row = Reservation("order-1");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, "RESERVED");
  EXPECT_EQ(row->reason, "");
  EXPECT_EQ(Available("P001"), 8);
  EXPECT_EQ(Available("P002"), 4);
  EXPECT_EQ(ReservedItems("order-1"), (std::map<std::string, int64_t>{{"P001", 2}, {"P002", 1}}));
  const auto reply = LastReply();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->topic, topics::kInventoryReserved);
  EXPECT_EQ(reply->order_id, "order-1");
  EXPECT_EQ(reply->key, "order-1:inventory");
  EXPECT_EQ(reply->success, true);
  EXPECT_EQ(reply->reservation_id, row->reservation_id);
  EXPECT_EQ(reply->payload.find("reason"), std::string::npos) << reply->payload;
  EXPECT_NE(reply->payload.find(R"("reservedAt":"2024-01-15T10:30:00.000Z")"), std::string::npos) << reply->payload;
}

// The replies byte for byte as inventory-service publishes them, so that how they are written may change and what
// they are may not.
TEST_F(InventoryTest, RepliesAreTheBytesTheInventoryServicePublishes) {
  Wire();
  Seed({{"P001", 10}});
  Reserve("order-1", {{"P001", 2}});
  Reserve("order-2", {{"P001", 11}});
  Release("order-1");
  Release("order-3");
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 4U);
  const std::string at = "2024-01-15T10:30:00.000Z";
  EXPECT_EQ(replies[0].payload, R"({"messageId":")" + replies[0].message_id +
                                    R"(","orderId":"order-1","idempotencyKey":"order-1:inventory","reservationId":")" +
                                    Reservation("order-1")->reservation_id + R"(","success":true,"reservedAt":")" + at +
                                    R"("})");
  EXPECT_EQ(replies[1].payload, R"({"messageId":")" + replies[1].message_id +
                                    R"(","orderId":"order-2","idempotencyKey":"order-2:inventory","reservationId":")" +
                                    Reservation("order-2")->reservation_id +
                                    R"(","success":false,"reason":"out_of_stock","reservedAt":")" + at + R"("})");
  EXPECT_EQ(replies[2].payload,
            R"({"messageId":")" + replies[2].message_id +
                R"(","orderId":"order-1","idempotencyKey":"order-1:inventory:compensation","success":true,)"
                R"("status":"RELEASED","releasedAt":")" +
                at + R"("})");
  EXPECT_EQ(replies[3].payload,
            R"({"messageId":")" + replies[3].message_id +
                R"(","orderId":"order-3","idempotencyKey":"order-3:inventory:compensation","success":true,)"
                R"("status":"VOIDED","releasedAt":")" +
                at + R"("})");
}

TEST_F(InventoryTest, ReserveIsAllOrNothing) {
  Wire();
  Seed({{"P001", 10}, {"P002", 1}});
  Reserve("order-1", {{"P001", 3}, {"P002", 2}});  // the second product lacks stock

  const auto row = Reservation("order-1");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, "REJECTED");
  EXPECT_EQ(row->reason, "out_of_stock");
  EXPECT_EQ(Available("P001"), 10);
  EXPECT_EQ(Available("P002"), 1);
  EXPECT_TRUE(ReservedItems("order-1").empty());
  const auto reply = LastReply();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->success, false);
  EXPECT_EQ(reply->reason, "out_of_stock");
  EXPECT_EQ(reply->reservation_id, row->reservation_id);
}

TEST_F(InventoryTest, ReserveOfAnUnknownProductIsRejected) {
  Wire();
  Seed({{"P001", 10}});
  Reserve("order-1", {{"P001", 1}, {"P999", 1}});
  Reserve("order-2", {{"P000", 1}, {"P001", 100}});  // unknown wins over out of stock, in any order
  Reserve("order-3", {{"P001", 100}, {"P999", 1}});

  for (const char* order : {"order-1", "order-2", "order-3"}) {
    const auto row = Reservation(order);
    ASSERT_TRUE(row.has_value()) << order;
    EXPECT_EQ(row->status, "REJECTED") << order;
    EXPECT_EQ(row->reason, "unknown_product") << order;
  }
  EXPECT_EQ(Available("P001"), 10);
  for (const auto& reply : Replies()) {
    EXPECT_EQ(reply.success, false);
    EXPECT_EQ(reply.reason, "unknown_product");
  }
}

TEST_F(InventoryTest, SameProductListedTwiceIsSummed) {
  Wire();
  Seed({{"P001", 10}, {"P002", 4}});
  Reserve("order-1", {{"P001", 2}, {"P001", 3}});
  EXPECT_EQ(Reservation("order-1")->status, "RESERVED");
  EXPECT_EQ(Available("P001"), 5);
  EXPECT_EQ(ReservedItems("order-1"), (std::map<std::string, int64_t>{{"P001", 5}}));

  // 3 + 3 > 4 although each line alone fits.
  Reserve("order-2", {{"P002", 3}, {"P002", 3}});
  EXPECT_EQ(Reservation("order-2")->status, "REJECTED");
  EXPECT_EQ(Reservation("order-2")->reason, "out_of_stock");
  EXPECT_EQ(Available("P002"), 4);

  Release("order-1");
  EXPECT_EQ(Available("P001"), 10);
}

TEST_F(InventoryTest, ExactlyTheAvailableStockCanBeReserved) {
  Wire();
  Seed({{"P001", 3}});
  Reserve("order-1", {{"P001", 3}});
  EXPECT_EQ(Reservation("order-1")->status, "RESERVED");
  EXPECT_EQ(Available("P001"), 0);
}

TEST_F(InventoryTest, LastUnitContestedByTwoOrdersGoesToExactlyOne) {
  Wire();
  Seed({{"P001", 1}});
  Reserve("order-1", {{"P001", 1}});
  Reserve("order-2", {{"P001", 1}});

  EXPECT_EQ(Reservation("order-1")->status, "RESERVED");
  EXPECT_EQ(Reservation("order-2")->status, "REJECTED");
  EXPECT_EQ(Reservation("order-2")->reason, "out_of_stock");
  EXPECT_EQ(Available("P001"), 0);
}

TEST_F(InventoryTest, LastUnitContestedWhileBothArePendingGoesToExactlyOne) {
  Wire(kDelay);
  Seed({{"P001", 1}});
  Reserve("order-1", {{"P001", 1}});
  Reserve("order-2", {{"P001", 1}});
  EXPECT_EQ(CountRows("reservations"), 0);

  clock_.Advance(kDelay);
  auto ran = processor_->RunDue();  // both in one transaction
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_EQ(*ran, 2u);

  int reserved = 0;
  for (const char* order : {"order-1", "order-2"}) reserved += Reservation(order)->status == "RESERVED";
  EXPECT_EQ(reserved, 1);
  EXPECT_EQ(Available("P001"), 0);
  EXPECT_EQ(AccountedStock(), (std::map<std::string, int64_t>{{"P001", 1}}));
}

TEST_F(InventoryTest, ReleaseReturnsStockExactlyOnce) {
  Wire();
  Seed({{"P001", 10}, {"P002", 5}});
  Reserve("order-1", {{"P001", 2}, {"P002", 5}});
  ASSERT_EQ(Available("P002"), 0);

  Release("order-1");
  EXPECT_EQ(Reservation("order-1")->status, "RELEASED");
  EXPECT_EQ(Available("P001"), 10);
  EXPECT_EQ(Available("P002"), 5);
  auto reply = LastReply();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->topic, topics::kInventoryReleased);
  EXPECT_EQ(reply->success, true);
  EXPECT_EQ(reply->status, "RELEASED");
  EXPECT_EQ(reply->key, "order-1:inventory:compensation");

  Release("order-1");                         // retry: the stored reply
  Release("order-1", "order-1:another-key");  // another key is refused: dead-lettered
  EXPECT_EQ(Available("P001"), 10);
  EXPECT_EQ(Available("P002"), 5);
  reply = LastReply();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->success, true);
  EXPECT_EQ(reply->status, "RELEASED");
  EXPECT_EQ(Replies().size(), 3u);
  EXPECT_EQ(CountRows("dead_letters"), 1);
}

TEST_F(InventoryTest, ReleaseTouchesOnlyItsOwnReservation) {
  Wire();
  Seed({{"P001", 10}, {"P002", 10}});
  Reserve("order-1", {{"P001", 2}});
  Reserve("order-2", {{"P001", 3}, {"P002", 4}});
  Release("order-1");
  EXPECT_EQ(Available("P001"), 7);
  EXPECT_EQ(Available("P002"), 6);
  EXPECT_EQ(Reservation("order-2")->status, "RESERVED");
}

TEST_F(InventoryTest, ReleaseBeforeReserveVoidsAndALaterReserveIsRefused) {
  Wire();
  Seed({{"P001", 10}});
  Release("order-1");

  EXPECT_EQ(Reservation("order-1")->status, "VOIDED");
  auto reply = LastReply();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->success, true);
  EXPECT_EQ(reply->status, "VOIDED");

  Reserve("order-1", {{"P001", 2}});  // the late reservation
  EXPECT_EQ(Reservation("order-1")->status, "VOIDED");
  EXPECT_EQ(Available("P001"), 10);
  EXPECT_TRUE(ReservedItems("order-1").empty());
  reply = LastReply();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->topic, topics::kInventoryReserved);
  EXPECT_EQ(reply->success, false);
  EXPECT_EQ(reply->reason, "cancelled");
}

TEST_F(InventoryTest, ReleaseWhileReserveIsPendingMeansTheReserveNeverTakesStock) {
  Wire(kDelay);
  Seed({{"P001", 10}});
  Reserve("order-1", {{"P001", 2}});
  Release("order-1");
  clock_.Advance(kDelay);
  ASSERT_TRUE(processor_->RunDue().ok());

  EXPECT_EQ(Reservation("order-1")->status, "VOIDED");
  EXPECT_EQ(Available("P001"), 10);
  const auto reply = LastReply();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->success, false);
  EXPECT_EQ(reply->reason, "cancelled");
}

TEST_F(InventoryTest, ReserveAfterReleaseIsRefused) {
  Wire();
  Seed({{"P001", 10}});
  Reserve("order-1", {{"P001", 2}});
  Release("order-1");
  // The same reservation again after its stored reply was pruned: decided from the reservation row.
  ForgetStoredReplies();
  Reserve("order-1", {{"P001", 2}});
  EXPECT_EQ(Reservation("order-1")->status, "RELEASED");
  EXPECT_EQ(Available("P001"), 10);
  EXPECT_EQ(LastReply()->reason, "cancelled");
}

TEST_F(InventoryTest, ReleaseOfARejectedReservationStaysRejected) {
  Wire();
  Seed({{"P001", 1}});
  Reserve("order-1", {{"P001", 2}});
  Release("order-1");
  EXPECT_EQ(Reservation("order-1")->status, "REJECTED");
  EXPECT_EQ(Available("P001"), 1);
  EXPECT_EQ(LastReply()->status, "REJECTED");
  EXPECT_EQ(LastReply()->success, true);
}

TEST_F(InventoryTest, DuplicateReserveTakesStockOnce) {
  Wire();
  Seed({{"P001", 10}});
  Reserve("order-1", {{"P001", 2}});
  Reserve("order-1", {{"P001", 2}});
  ForgetStoredReplies();
  Reserve("order-1", {{"P001", 2}});
  EXPECT_EQ(Available("P001"), 8);
  EXPECT_EQ(CountRows("reservations"), 1);
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[1].payload, replies[0].payload);
  EXPECT_EQ(replies[2].success, true);
  EXPECT_EQ(replies[2].reservation_id, replies[0].reservation_id);
}

TEST_F(InventoryTest, MalformedItemsAreDeadLettered) {
  Wire();
  Seed({{"P001", 10}});
  int n = 0;
  // Each under its order's own key, so that the items are what is refused.
  for (const char* items :
       {R"([])", R"("P001")", R"([{"productId":"P001","quantity":0}])", R"([{"productId":"P001","quantity":-1}])",
        R"([{"productId":"P001","quantity":1.5}])", R"([{"productId":"P001"}])", R"([{"quantity":1}])", R"([42])"}) {
    const std::string order = "order-" + std::to_string(++n);
    std::string payload = R"({"messageId":"m-)" + std::to_string(n);
    payload.append(R"(","orderId":")").append(order).append(R"(","idempotencyKey":")").append(order);
    payload.append(R"(:inventory","items":)").append(items).append("}");
    DeliverRaw(topics::kInventoryReserve, payload);
  }
  DeliverRaw(topics::kInventoryReserve,
             R"({"messageId":"m-x","orderId":"order-x","idempotencyKey":"order-x:inventory"})");

  EXPECT_EQ(CountRows("dead_letters"), n + 1);
  for (const std::string& error : DeadLetterErrors()) EXPECT_NE(error.find("items"), std::string::npos) << error;
  EXPECT_EQ(CountRows("reservations"), 0);
  EXPECT_EQ(Available("P001"), 10);
}

// Regression: quantities of one product were summed without an overflow check, so a message whose
// quantities add up past INT64_MAX was undefined behaviour (a sanitizer abort, a crash loop on every
// redelivery, or a negative total that would *add* stock). It is now rejected as malformed.
TEST_F(InventoryTest, Regression_ReserveQuantitySumOverflowIsRejected) {
  Wire();
  Seed({{"P001", 10}});
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  Reserve("order-1", {{"P001", kMax}, {"P001", kMax}});
  Reserve("order-2", {{"P001", kMax}, {"P001", 1}});

  EXPECT_EQ(CountRows("dead_letters"), 2);
  EXPECT_EQ(CountRows("reservations"), 0);
  EXPECT_EQ(Available("P001"), 10);

  // A single huge line is merely more than the stock.
  Reserve("order-3", {{"P001", kMax}});
  EXPECT_EQ(Reservation("order-3")->reason, "out_of_stock");
  EXPECT_EQ(Available("P001"), 10);
}

TEST_F(InventoryTest, Regression_PendingReserveQuantitySumOverflowIsDropped) {
  Wire(kDelay);
  Seed({{"P001", 10}});
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  Reserve("order-1", {{"P001", kMax}, {"P001", kMax}});
  Reserve("order-2", {{"P001", 1}});
  clock_.Advance(kDelay);

  auto ran = processor_->RunDue();
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();  // the bad one does not block the good one
  EXPECT_EQ(CountRows("pending_commands"), 0);
  EXPECT_FALSE(Reservation("order-1").has_value());
  EXPECT_EQ(Reservation("order-2")->status, "RESERVED");
  EXPECT_EQ(Available("P001"), 9);
}

// Stock is conserved (per product, initial = available + reserved) after a random mix of reserves, retries,
// releases and late reservations over several orders, with the simulated delay and the worker's runs interleaved.
TEST_F(InventoryTest, StockInvariantHoldsAfterARandomSequence) {
  Wire(kDelay);
  const std::map<std::string, int64_t> initial{{"P001", 12}, {"P002", 6}, {"P003", 3}, {"P004", 0}};
  Seed(initial);
  const std::vector<std::string> products{"P001", "P002", "P003", "P004", "P404"};

  SeededRandom random(7);
  auto pick = [&](uint64_t n) { return random.NextU64() % n; };
  constexpr int kOrders = 12;
  std::vector<Items> items(kOrders);
  for (auto& order_items : items) {
    const uint64_t lines = 1 + pick(3);
    for (uint64_t i = 0; i < lines; ++i) {
      // P404 (unknown) rarely; P004 (no stock) sometimes.
      const std::string& product = products[pick(20) == 0 ? 4 : pick(4)];
      order_items.emplace_back(product, static_cast<int64_t>(1 + pick(4)));
    }
  }

  std::map<std::string, int64_t> seen;  // the most reservations in each status at any point
  for (int step = 0; step < 400; ++step) {
    const int order = static_cast<int>(pick(kOrders));
    const std::string id = "order-" + std::to_string(order);
    switch (pick(6)) {
      case 0:
      case 1:
        Reserve(id, items[order]);  // first attempt or a retry with the same key
        break;
      case 2:
        // The same key once its stored reply was pruned: the executor decides again from its rows.
        ForgetStoredReplies();
        Reserve(id, items[order]);
        break;
      case 3:
        if (pick(2) == 0) ForgetStoredReplies();
        Release(id);
        break;
      case 4:
        clock_.Advance(Millis(static_cast<int64_t>(pick(1000))));
        break;
      default: {
        auto ran = processor_->RunDue();
        ASSERT_TRUE(ran.ok()) << ran.status().ToString();
        break;
      }
    }
    ASSERT_EQ(AccountedStock(), initial) << "after step " << step;
    for (const auto& [status, count] : StatusCounts()) seen[status] = std::max(seen[status], count);
  }
  clock_.Advance(kDelay);
  ASSERT_TRUE(processor_->RunDue().ok());
  EXPECT_EQ(AccountedStock(), initial);
  EXPECT_EQ(CountRows("pending_commands"), 0);
  EXPECT_EQ(CountRows("dead_letters"), 0);

  // Every order ended in one reservation whose items, if RESERVED, are exactly the order's.
  for (int order = 0; order < kOrders; ++order) {
    const std::string id = "order-" + std::to_string(order);
    const auto row = Reservation(id);
    if (!row) continue;
    if (row->status == "RESERVED") {
      std::map<std::string, int64_t> expected;
      for (const auto& [product, quantity] : items[order]) expected[product] += quantity;
      EXPECT_EQ(ReservedItems(id), expected) << id;
    }
  }
  // The fixed seed makes the sequence reach every kind of outcome.
  for (const char* status : {"RESERVED", "REJECTED", "RELEASED", "VOIDED"}) EXPECT_GT(seen[status], 0) << status;
  for (const auto& [product, available] : initial) EXPECT_GE(Available(product).value_or(-1), 0) << product;
}

}  // namespace
}  // namespace sagaflow::inventory

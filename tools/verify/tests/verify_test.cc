// VerifyGuarantees over five real, migrated databases filled with plain SQL (tools/testing/five_databases.h): a
// consistent world passes, and each guarantee (numbered as in verify.h) broken on its own is reported with its
// number and the order or product it concerns — and nothing else is.
#include "tools/verify/verify.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tools/testing/five_databases.h"

namespace sagaflow::verify {
namespace {

using ::testing::HasSubstr;

std::vector<int> Guarantees(const std::vector<Violation>& violations) {
  std::vector<int> numbers;
  for (const auto& violation : violations) numbers.push_back(violation.guarantee);
  return numbers;
}

std::string Describe(const std::vector<Violation>& violations) {
  std::string text;
  for (const auto& violation : violations) text += ToString(violation) + "\n";
  return text;
}

class VerifyTest : public tools::testing::ConsistentWorldTest {
 protected:
  VerifyTest() : ConsistentWorldTest("sagaflow-verify-test") {}

  VerifyOptions Options() const { return {databases_.data_dir().string(), stock_}; }

  std::vector<Violation> Verify() {
    auto result = VerifyGuarantees(Options());
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : std::vector<Violation>{};
  }

  std::map<std::string, int64_t> stock_ = tools::testing::ConsistentWorldStock();
};

TEST_F(VerifyTest, ConsistentWorldHasNoViolation) {
  auto violations = Verify();
  EXPECT_TRUE(violations.empty()) << Describe(violations);
}

TEST_F(VerifyTest, Guarantee1OrderLeftProcessing) {
  // Both steps succeeded but the completion never arrived: the order and its saga are still running.
  Exec("orders.db", "UPDATE orders SET status = 'PROCESSING' WHERE order_id = 'order-1'");
  Exec("orchestrator.db", "UPDATE sagas SET state = 'RUNNING' WHERE order_id = 'order-1'");
  auto violations = Verify();
  ASSERT_THAT(Guarantees(violations), ::testing::ElementsAre(1)) << Describe(violations);
  EXPECT_THAT(violations[0].detail, HasSubstr("order-1"));
  EXPECT_THAT(violations[0].detail, HasSubstr("PROCESSING"));
}

TEST_F(VerifyTest, Guarantee2CompletedWithoutChargedPayment) {
  Exec("payments.db", "UPDATE payments SET status = 'DECLINED' WHERE order_id = 'order-1'");
  auto violations = Verify();
  ASSERT_THAT(Guarantees(violations), ::testing::ElementsAre(2)) << Describe(violations);
  EXPECT_THAT(violations[0].detail, HasSubstr("order order-1 is COMPLETED without a CHARGED payment"));
}

TEST_F(VerifyTest, Guarantee2CompletedChargedTheWrongAmount) {
  Exec("payments.db", "UPDATE payments SET amount_cents = 2999 WHERE order_id = 'order-1'");
  auto violations = Verify();
  ASSERT_THAT(Guarantees(violations), ::testing::ElementsAre(2)) << Describe(violations);
  EXPECT_THAT(violations[0].detail, HasSubstr("order order-1 charged 2999 cents, total is 3000"));
}

TEST_F(VerifyTest, Guarantee2CompletedWithoutReservedReservation) {
  // The reservation was released (its stock returned): the order must not be COMPLETED.
  Exec("inventory.db",
       "UPDATE reservations SET status = 'RELEASED' WHERE order_id = 'order-1';"
       "UPDATE stock SET available = 100 WHERE product_id = 'P001';"
       "UPDATE stock SET available = 50 WHERE product_id = 'P002'");
  auto violations = Verify();
  ASSERT_THAT(Guarantees(violations), ::testing::ElementsAre(2)) << Describe(violations);
  EXPECT_THAT(violations[0].detail, HasSubstr("order order-1 is COMPLETED without a RESERVED reservation"));
}

TEST_F(VerifyTest, Guarantee2CompletedReservedOtherItems) {
  // Three P001 reserved for an order of two; the stock is adjusted so that only guarantee 2 breaks.
  Exec("inventory.db",
       "UPDATE reservation_items SET quantity = 3 WHERE reservation_id = 'res-1' AND product_id = 'P001';"
       "UPDATE stock SET available = 97 WHERE product_id = 'P001'");
  auto violations = Verify();
  ASSERT_THAT(Guarantees(violations), ::testing::ElementsAre(2)) << Describe(violations);
  EXPECT_THAT(violations[0].detail, HasSubstr("order order-1 reserved other items than it ordered"));
}

TEST_F(VerifyTest, Guarantee2CancelledWithChargedPayment) {
  Exec("payments.db", "UPDATE payments SET status = 'CHARGED' WHERE order_id = 'order-2'");
  auto violations = Verify();
  ASSERT_THAT(Guarantees(violations), ::testing::ElementsAre(2)) << Describe(violations);
  EXPECT_THAT(violations[0].detail, HasSubstr("order order-2 is CANCELLED with a CHARGED payment"));
}

TEST_F(VerifyTest, Guarantee2CancelledWithReservedReservation) {
  Exec("inventory.db",
       "UPDATE reservations SET status = 'RESERVED' WHERE order_id = 'order-2';"
       "UPDATE stock SET available = 97 WHERE product_id = 'P001'");
  auto violations = Verify();
  ASSERT_THAT(Guarantees(violations), ::testing::ElementsAre(2)) << Describe(violations);
  EXPECT_THAT(violations[0].detail, HasSubstr("order order-2 is CANCELLED with a RESERVED reservation"));
}

TEST_F(VerifyTest, Guarantee2ChargedPaymentForUnknownOrder) {
  Exec("payments.db",
       "INSERT INTO payments(order_id, payment_id, amount_cents, status, created_at, updated_at) "
       "VALUES ('ghost', 'pay-9', 100, 'CHARGED', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')");
  auto violations = Verify();
  ASSERT_THAT(Guarantees(violations), ::testing::ElementsAre(2)) << Describe(violations);
  EXPECT_THAT(violations[0].detail, HasSubstr("ghost"));
}

TEST_F(VerifyTest, Guarantee3StockNotConserved) {
  Exec("inventory.db", "UPDATE stock SET available = 97 WHERE product_id = 'P001'");
  auto violations = Verify();
  ASSERT_THAT(Guarantees(violations), ::testing::ElementsAre(3)) << Describe(violations);
  EXPECT_THAT(violations[0].detail, HasSubstr("product P001: initial 100 != available 97 + reserved 2"));
}

TEST_F(VerifyTest, Guarantee3ProductOfTheStockFileMissingFromInventory) {
  stock_["P003"] = 10;
  auto violations = Verify();
  ASSERT_THAT(Guarantees(violations), ::testing::ElementsAre(3)) << Describe(violations);
  EXPECT_THAT(violations[0].detail, HasSubstr("P003"));
}

TEST_F(VerifyTest, Guarantee4OrderStatusAndSagaStateDisagree) {
  Exec("orchestrator.db", "UPDATE sagas SET state = 'COMPENSATING' WHERE order_id = 'order-1'");
  auto violations = Verify();
  ASSERT_THAT(Guarantees(violations), ::testing::ElementsAre(4)) << Describe(violations);
  EXPECT_THAT(violations[0].detail, HasSubstr("order order-1 is COMPLETED but its saga is COMPENSATING"));
}

TEST_F(VerifyTest, Guarantee4OrderWithoutSaga) {
  Exec("orchestrator.db",
       "DELETE FROM saga_steps WHERE saga_id = 'saga-2'; DELETE FROM sagas WHERE order_id = 'order-2'");
  auto violations = Verify();
  ASSERT_THAT(Guarantees(violations), ::testing::ElementsAre(4)) << Describe(violations);
  EXPECT_THAT(violations[0].detail, HasSubstr("order order-2 (CANCELLED) has no saga"));
}

class VerifyOutboxTest : public VerifyTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(VerifyOutboxTest, Guarantee5UnpublishedOutboxRow) {
  const std::string file = GetParam();
  Exec(file,
       "INSERT INTO outbox(topic, payload, created_at) "
       "VALUES ('orders/created', '{\"orderId\":\"order-1\"}', '2020-01-01T00:00:02.000Z')");
  auto violations = Verify();
  ASSERT_THAT(Guarantees(violations), ::testing::ElementsAre(5)) << Describe(violations);
  EXPECT_EQ(violations[0].detail, file + " has 1 unpublished outbox rows");
}

INSTANTIATE_TEST_SUITE_P(EveryDatabase, VerifyOutboxTest,
                         ::testing::Values("orders.db", "orchestrator.db", "payments.db", "inventory.db",
                                           "notifications.db"),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return param.param.substr(0, param.param.find('.'));
                         });

// Guarantee 6 cannot be broken through the schema: notifications has UNIQUE (order_id, kind) (and the
// key <orderId>:<kind> as its primary key), so the database itself refuses a second notification of a
// kind. The test shows the refusal and that the checker then finds nothing under guarantee 6.
TEST_F(VerifyTest, Guarantee6IsEnforcedByTheSchemaSoTheCheckerFindsNone) {
  Status duplicate = databases_.Exec("notifications.db",
                                     "INSERT INTO notifications(idempotency_key, order_id, kind, message, created_at) "
                                     "VALUES ('another-key', 'order-1', 'order_completed', 'again', "
                                     "'2020-01-01T00:00:02.000Z')");
  EXPECT_FALSE(duplicate.ok());
  EXPECT_THAT(duplicate.message(), HasSubstr("UNIQUE"));
  auto violations = Verify();
  EXPECT_TRUE(violations.empty()) << Describe(violations);
}

// The checker's own query for guarantee 6, on a table rebuilt without the constraints (which no
// migration does): two notifications of one kind for one order are reported with the order.
TEST_F(VerifyTest, Guarantee6DetectedWhenTheSchemaDoesNotPreventDuplicates) {
  Exec("notifications.db",
       "CREATE TABLE loose(idempotency_key TEXT, order_id TEXT, kind TEXT, message TEXT, created_at TEXT);"
       "INSERT INTO loose SELECT idempotency_key, order_id, kind, message, created_at FROM notifications;"
       "DROP TABLE notifications; ALTER TABLE loose RENAME TO notifications;"
       "INSERT INTO notifications VALUES ('order-1:order_completed', 'order-1', 'order_completed', 'again',"
       "                                  '2020-01-01T00:00:02.000Z')");
  auto violations = Verify();
  ASSERT_THAT(Guarantees(violations), ::testing::ElementsAre(6)) << Describe(violations);
  EXPECT_EQ(violations[0].detail, "order order-1 got 2 'order_completed' notifications");
}

TEST_F(VerifyTest, MissingDatabaseIsAnIoErrorNamingTheFile) {
  databases_.Remove("payments.db");
  auto result = VerifyGuarantees(Options());
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("payments.db"));
}

TEST(VerifyToStringTest, NamesTheGuarantee) {
  EXPECT_EQ(ToString({3, "product P001 has negative stock"}), "guarantee 3: product P001 has negative stock");
}

// --- regressions --------------------------------------------------------------------------------

// Guarantee 2 speaks of COMPLETED and CANCELLED orders only. An order stuck in PROCESSING after both
// steps succeeded has a CHARGED payment and a RESERVED reservation, rightly: that is a guarantee-1
// violation, and the checker used to report two more under guarantee 2 as well.
TEST_F(VerifyTest, NonTerminalOrderWithChargedPaymentIsNotAGuarantee2Violation) {
  Exec("orders.db", "UPDATE orders SET status = 'FAILED' WHERE order_id = 'order-1'");
  Exec("orchestrator.db", "UPDATE sagas SET state = 'FAILED' WHERE order_id = 'order-1'");
  auto violations = Verify();
  EXPECT_THAT(Guarantees(violations), ::testing::ElementsAre(1)) << Describe(violations);
}

// A RESERVED reservation of an order that does not exist holds stock forever and can never be made
// good by a saga; it was reported for payments (CHARGED for an unknown order) but not for reservations.
TEST_F(VerifyTest, ReservedReservationForUnknownOrderIsAGuarantee2Violation) {
  Exec("inventory.db",
       "INSERT INTO reservations(order_id, reservation_id, status, created_at, updated_at) "
       "VALUES ('ghost', 'res-9', 'RESERVED', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z');"
       "INSERT INTO reservation_items(reservation_id, product_id, quantity) VALUES ('res-9', 'P002', 4);"
       "UPDATE stock SET available = 45 WHERE product_id = 'P002'");
  auto violations = Verify();
  ASSERT_THAT(Guarantees(violations), ::testing::ElementsAre(2)) << Describe(violations);
  EXPECT_THAT(violations[0].detail, HasSubstr("ghost"));
}

}  // namespace
}  // namespace sagaflow::verify

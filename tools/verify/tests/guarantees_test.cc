// Each guarantee's check alone (guarantees.h), over the consistent world of tools/testing/five_databases.h: silent
// on it, and, with one thing broken that other guarantees would report too, reporting only its own violation.
#include "tools/verify/guarantees.h"

#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tools/testing/five_databases.h"

namespace sagaflow::verify {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

using Check = std::vector<Violation> (*)(const Evidence&);

auto IsViolation(int guarantee, const std::string& detail) {
  return ::testing::AllOf(Field(&Violation::guarantee, guarantee), Field(&Violation::detail, detail));
}

class GuaranteesTest : public tools::testing::ConsistentWorldTest {
 protected:
  GuaranteesTest() : ConsistentWorldTest("sagaflow-guarantees-test") {}

  // The evidence as it stands now; an empty one (and a failed test) if it cannot be gathered.
  Evidence Gather() {
    auto evidence = GatherEvidence({databases_.data_dir().string(), tools::testing::ConsistentWorldStock()});
    EXPECT_TRUE(evidence.ok()) << evidence.status().ToString();
    return evidence.ok() ? std::move(evidence).value() : Evidence{};
  }
};

TEST_F(GuaranteesTest, GatherEvidenceReadsOrdersPaymentsAndReservations) {
  const Evidence evidence = Gather();
  ASSERT_THAT(evidence.orders, ::testing::SizeIs(2));
  EXPECT_EQ(evidence.orders.at("order-1").status, "COMPLETED");
  EXPECT_EQ(evidence.orders.at("order-1").total_cents, 3000);
  EXPECT_EQ(evidence.orders.at("order-1").items, (Items{{"P001", 2}, {"P002", 1}}));
  EXPECT_EQ(evidence.payments.at("order-2").status, "DECLINED");
  EXPECT_EQ(evidence.reservation_status.at("order-2"), "RELEASED");
  EXPECT_FALSE(evidence.reserved_items.contains("order-2")) << "only RESERVED reservations hold items";
  EXPECT_EQ(evidence.reserved_by_product, (Items{{"P001", 2}, {"P002", 1}}));
}

TEST_F(GuaranteesTest, GatherEvidenceNamesAMissingDatabase) {
  databases_.Remove("inventory.db");
  auto evidence = GatherEvidence({databases_.data_dir().string(), tools::testing::ConsistentWorldStock()});
  ASSERT_FALSE(evidence.ok());
  EXPECT_TRUE(evidence.status().IsIoError());
  EXPECT_THAT(evidence.status().message(), ::testing::HasSubstr("inventory.db"));
}

struct NamedCheck {
  std::string name;
  Check check;
};

void PrintTo(const NamedCheck& check, std::ostream* os) {
  *os << check.name;
}

class EveryCheckTest : public GuaranteesTest, public ::testing::WithParamInterface<NamedCheck> {};

TEST_P(EveryCheckTest, FindsNothingInTheConsistentWorld) {
  EXPECT_THAT(GetParam().check(Gather()), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(OneAtATime, EveryCheckTest,
                         ::testing::Values(NamedCheck{"EveryOrderIsTerminal", EveryOrderIsTerminal},
                                           NamedCheck{"ChargesAndReservationsMatchOutcomes",
                                                      ChargesAndReservationsMatchOutcomes},
                                           NamedCheck{"StockIsConserved", StockIsConserved},
                                           NamedCheck{"OrdersAgreeWithSagas", OrdersAgreeWithSagas},
                                           NamedCheck{"OutboxesAreDrained", OutboxesAreDrained},
                                           NamedCheck{"OneNotificationPerKind", OneNotificationPerKind}),
                         [](const ::testing::TestParamInfo<NamedCheck>& param) { return param.param.name; });

// The order is left PROCESSING while its saga says COMPLETED: guarantee 4 breaks too, but this check is 1's.
TEST_F(GuaranteesTest, EveryOrderIsTerminalReportsOnlyGuarantee1) {
  Exec("orders.db", "UPDATE orders SET status = 'PROCESSING' WHERE order_id = 'order-1'");
  EXPECT_THAT(EveryOrderIsTerminal(Gather()), ElementsAre(IsViolation(1, "order order-1 is PROCESSING")));
}

TEST_F(GuaranteesTest, ChargesAndReservationsMatchOutcomesReportsOnlyGuarantee2) {
  // Reserving a third P001 also breaks stock conservation (guarantee 3).
  Exec("inventory.db",
       "UPDATE reservation_items SET quantity = 3 WHERE reservation_id = 'res-1' AND product_id = 'P001'");
  EXPECT_THAT(ChargesAndReservationsMatchOutcomes(Gather()),
              ElementsAre(IsViolation(2, "order order-1 reserved other items than it ordered")));
}

TEST_F(GuaranteesTest, StockIsConservedReportsOnlyGuarantee3) {
  Exec("inventory.db", "UPDATE stock SET available = 97 WHERE product_id = 'P001'");
  EXPECT_THAT(StockIsConserved(Gather()),
              ElementsAre(IsViolation(3, "product P001: initial 100 != available 97 + reserved 2")));
}

TEST_F(GuaranteesTest, OrdersAgreeWithSagasReportsOnlyGuarantee4) {
  // A RUNNING saga of a COMPLETED order; an unfinished order would break guarantee 1 as well.
  Exec("orchestrator.db", "UPDATE sagas SET state = 'RUNNING' WHERE order_id = 'order-1'");
  EXPECT_THAT(OrdersAgreeWithSagas(Gather()),
              ElementsAre(IsViolation(4, "order order-1 is COMPLETED but its saga is RUNNING")));
}

TEST_F(GuaranteesTest, OutboxesAreDrainedReportsOnlyGuarantee5) {
  Exec("orchestrator.db",
       "INSERT INTO outbox(topic, payload, created_at) VALUES ('x/y', '{}', '2020-01-01T00:00:02.000Z')");
  EXPECT_THAT(OutboxesAreDrained(Gather()),
              ElementsAre(IsViolation(5, "orchestrator.db has 1 unpublished outbox rows")));
}

// The schema refuses a second notification of a kind, so the table is rebuilt without its constraints first.
TEST_F(GuaranteesTest, OneNotificationPerKindReportsOnlyGuarantee6) {
  Exec("notifications.db",
       "CREATE TABLE loose(idempotency_key TEXT, order_id TEXT, kind TEXT, message TEXT, created_at TEXT);"
       "INSERT INTO loose SELECT idempotency_key, order_id, kind, message, created_at FROM notifications;"
       "DROP TABLE notifications; ALTER TABLE loose RENAME TO notifications;"
       "INSERT INTO notifications VALUES ('order-2:order_cancelled', 'order-2', 'order_cancelled', 'again',"
       "                                  '2020-01-01T00:00:02.000Z')");
  EXPECT_THAT(OneNotificationPerKind(Gather()),
              ElementsAre(IsViolation(6, "order order-2 got 2 'order_cancelled' notifications")));
}

}  // namespace
}  // namespace sagaflow::verify

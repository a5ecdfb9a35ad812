// SeedHistory over five real, migrated databases (tools/testing/five_databases.h): what it writes passes every
// check of VerifyGuarantees, takes the reserved units out of the stock (whether inventory.db already held the
// product or only the stock file knew it), lies within every retention window, and adds to a history that is
// already there. StockAfterSeeding refuses what would break stock conservation.
#include "bench/seed_history.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/clock.h"
#include "common/time_format.h"
#include "manifest/service_manifest.h"
#include "storage/database.h"
#include "tools/testing/five_databases.h"
#include "tools/verify/verify.h"

namespace sagaflow::bench {
namespace {

using ::testing::HasSubstr;

std::string DatabaseOf(std::string_view service) {
  return ServiceNamed(service).db_file;
}

std::vector<std::string> DatabaseFiles() {
  std::vector<std::string> files;
  for (const auto& service : SagaflowServices()) files.push_back(service.db_file);
  return files;
}

class SeedHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status created = databases_.Create(clock_.Now());
    ASSERT_TRUE(created.ok()) << created.ToString();
    // SeedHistory writes to a stopped system: nothing else has the databases open.
    databases_.CloseAll();
  }

  std::filesystem::path data_dir() const { return databases_.data_dir(); }

  SeedOptions Options(int64_t orders, uint64_t seed = 7) {
    SeedOptions options;
    options.data_dir = data_dir().string();
    options.plan = RecentHistory(orders, clock_.Now(), seed);
    options.initial_stock = stock_;
    options.orders_per_transaction = 64;  // several transactions, the last one partial
    return options;
  }

  int64_t Count(const std::string& file, const std::string& sql) {
    auto db = storage::Database::Open({(data_dir() / file).string()});
    EXPECT_TRUE(db.ok());
    int64_t value = -1;
    (void)(*db)->Read([&](storage::Sql& s) {
      auto& select = s.Prepare(sql);
      if (select.executeStep()) value = select.getColumn(0).getInt64();
      select.reset();
      return Status::Ok();
    });
    return value;
  }

  // A query over orders.db (main) with the other four attached as saga, pay, inv and notif.
  int64_t CountAcross(const std::string& sql) {
    auto db = storage::Database::Open({(data_dir() / DatabaseOf("order-service")).string()});
    EXPECT_TRUE(db.ok());
    int64_t value = -1;
    Status status = (*db)->Read([&](storage::Sql& s) {
      for (const auto& [alias, file] :
           std::vector<std::pair<std::string, std::string>>{{"saga", DatabaseOf("orchestrator")},
                                                            {"pay", DatabaseOf("payment-service")},
                                                            {"inv", DatabaseOf("inventory-service")},
                                                            {"notif", DatabaseOf("notification-service")}}) {
        s.Exec("ATTACH DATABASE '" + (data_dir() / file).string() + "' AS " + alias);
      }
      auto& select = s.Prepare(sql);
      if (select.executeStep()) value = select.getColumn(0).getInt64();
      select.reset();
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return value;
  }

  std::vector<verify::Violation> Verify() {
    auto result = verify::VerifyGuarantees({data_dir().string(), stock_});
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : std::vector<verify::Violation>{};
  }

  std::string Describe(const std::vector<verify::Violation>& violations) {
    std::string text;
    for (const auto& v : violations) text += verify::ToString(v) + "\n";
    return text;
  }

  ManualClock clock_{FromEpochMillis(1'790'000'000'000)};
  tools::testing::FiveDatabases databases_{"sagaflow-seed-history-test"};
  std::map<std::string, int64_t> stock_ = {{"P001", 1'000'000}};
};

TEST_F(SeedHistoryTest, EveryGuaranteeHoldsAfterSeeding) {
  ASSERT_TRUE(SeedHistory(Options(300)).ok());
  const auto violations = Verify();
  EXPECT_TRUE(violations.empty()) << Describe(violations);
}

TEST_F(SeedHistoryTest, WritesWhatARealRunLeavesPerOrder) {
  ASSERT_TRUE(SeedHistory(Options(300)).ok());
  EXPECT_EQ(Count("orders.db", "SELECT COUNT(*) FROM orders WHERE status = 'COMPLETED' AND nudge_at IS NULL"), 300);
  EXPECT_EQ(Count("orders.db", "SELECT COUNT(*) FROM order_items"), 300);
  EXPECT_EQ(Count("orders.db", "SELECT COUNT(*) FROM order_history"), 5 * 300);
  EXPECT_EQ(Count("orders.db", "SELECT COUNT(*) FROM inbox"), 4 * 300);
  EXPECT_EQ(Count("orchestrator.db", "SELECT COUNT(*) FROM sagas WHERE state = 'COMPLETED'"), 300);
  EXPECT_EQ(Count("orchestrator.db", "SELECT COUNT(*) FROM saga_steps WHERE status = 'SUCCEEDED' AND deadline IS NULL"),
            3 * 300);
  EXPECT_EQ(Count("orchestrator.db", "SELECT COUNT(*) FROM saga_events"), 8 * 300);
  EXPECT_EQ(Count("orchestrator.db",
                  "SELECT COUNT(*) FROM saga_events WHERE seq = 8 AND kind = 'outcome_acknowledged' AND at = "
                  "(SELECT updated_at FROM sagas WHERE sagas.saga_id = saga_events.saga_id)"),
            300);
  EXPECT_EQ(Count("orchestrator.db", "SELECT COUNT(*) FROM outbox"), 6 * 300);
  EXPECT_EQ(Count("orchestrator.db", "SELECT COUNT(*) FROM inbox"), 4 * 300);
  EXPECT_EQ(Count("payments.db", "SELECT COUNT(*) FROM payments WHERE status = 'CHARGED' AND amount_cents = 100"), 300);
  EXPECT_EQ(Count("payments.db", "SELECT COUNT(*) FROM command_replies"), 300);
  EXPECT_EQ(Count("inventory.db", "SELECT COUNT(*) FROM reservations WHERE status = 'RESERVED'"), 300);
  EXPECT_EQ(Count("inventory.db", "SELECT COUNT(*) FROM reservation_items"), 300);
  EXPECT_EQ(Count("notifications.db", "SELECT COUNT(DISTINCT kind) FROM notifications"), 4);
  EXPECT_EQ(Count("notifications.db", "SELECT COUNT(*) FROM notifications"), 4 * 300);
  EXPECT_EQ(Count("notifications.db", "SELECT COUNT(*) FROM inbox"), 4 * 300);
  for (const auto& file : DatabaseFiles()) {
    EXPECT_EQ(Count(file, "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL"), 0) << file;
  }
}

TEST_F(SeedHistoryTest, EveryMessageIsClaimedByItsConsumersUnderTheIdItWasPublishedWith) {
  ASSERT_TRUE(SeedHistory(Options(40)).ok());
  // consumer inbox, publisher outbox, topic
  const std::vector<std::tuple<std::string, std::string, std::string>> deliveries = {
      {"saga", "main", "orders/created"},    {"notif", "main", "orders/created"},
      {"pay", "saga", "payments/process"},   {"inv", "saga", "inventory/reserve"},
      {"saga", "pay", "payments/processed"}, {"notif", "pay", "payments/processed"},
      {"saga", "inv", "inventory/reserved"}, {"notif", "inv", "inventory/reserved"},
      {"main", "saga", "orders/progress"},   {"main", "saga", "orders/completed"},
      {"notif", "saga", "orders/completed"}, {"saga", "notif", "notifications/sent"}};
  for (const auto& [consumer, publisher, topic] : deliveries) {
    const int64_t per_order = topic == "orders/progress" ? 3 : 1;
    EXPECT_EQ(CountAcross("SELECT COUNT(*) FROM " + publisher + ".outbox o JOIN " + consumer +
                          ".inbox i ON i.message_id = json_extract(o.payload, '$.messageId') WHERE o.topic = '" +
                          topic + "'"),
              40 * per_order)
        << topic << " to " << consumer;
  }
}

TEST_F(SeedHistoryTest, EverythingLiesWithinTheLastHour) {
  ASSERT_TRUE(SeedHistory(Options(100)).ok());
  const int64_t now = ToEpochMillis(clock_.Now());
  const int64_t hour_ago = now - 3'600'000;
  for (const auto& file : DatabaseFiles()) {
    EXPECT_GE(Count(file, "SELECT MIN(received_at) FROM inbox"), hour_ago) << file;
    EXPECT_LE(Count(file, "SELECT MAX(received_at) FROM inbox"), now) << file;
  }
  const std::string earliest = FormatIso8601(FromEpochMillis(hour_ago));
  const std::string latest = FormatIso8601(clock_.Now());
  for (const auto& file : DatabaseFiles()) {
    EXPECT_EQ(Count(file, "SELECT COUNT(*) FROM outbox WHERE created_at < '" + earliest + "' OR published_at > '" +
                              latest + "'"),
              0)
        << file;
  }
  EXPECT_GE(Count("payments.db", "SELECT MIN(created_at) FROM command_replies"), hour_ago);
}

TEST_F(SeedHistoryTest, ReservedUnitsLeaveTheStockTheDatabaseHolds) {
  ASSERT_TRUE(storage::Database::Open({(data_dir() / DatabaseOf("inventory-service")).string()})
                  .value()
                  ->Write([](storage::UnitOfWork& uow) {
                    uow.Exec("INSERT INTO stock(product_id, available) VALUES ('P001', 1000000)");
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(SeedHistory(Options(300)).ok());
  EXPECT_EQ(Count("inventory.db", "SELECT available FROM stock WHERE product_id = 'P001'"), 1'000'000 - 300);
  EXPECT_TRUE(Verify().empty());
}

TEST_F(SeedHistoryTest, AProductOnlyTheStockFileKnowsIsAddedWithItsStockLessTheReserved) {
  ASSERT_TRUE(SeedHistory(Options(300)).ok());
  EXPECT_EQ(Count("inventory.db", "SELECT available FROM stock WHERE product_id = 'P001'"), 1'000'000 - 300);
}

TEST_F(SeedHistoryTest, SeedingTwiceAddsToTheHistory) {
  ASSERT_TRUE(SeedHistory(Options(100, 1)).ok());
  ASSERT_TRUE(SeedHistory(Options(150, 2)).ok());
  EXPECT_EQ(Count("orders.db", "SELECT COUNT(*) FROM orders"), 250);
  EXPECT_EQ(Count("inventory.db", "SELECT available FROM stock WHERE product_id = 'P001'"), 1'000'000 - 250);
  const auto violations = Verify();
  EXPECT_TRUE(violations.empty()) << Describe(violations);
}

TEST_F(SeedHistoryTest, TooLittleStockFailsWithTheProduct) {
  stock_ = {{"P001", 10}};
  Status seeded = SeedHistory(Options(300));
  EXPECT_FALSE(seeded.ok());
  EXPECT_THAT(seeded.message(), HasSubstr("P001"));
}

TEST_F(SeedHistoryTest, AnUnmigratedHomeIsRefused) {
  std::filesystem::remove_all(data_dir());
  std::filesystem::create_directories(data_dir());
  Status seeded = SeedHistory(Options(10));
  EXPECT_FALSE(seeded.ok());
  EXPECT_THAT(seeded.message(), HasSubstr("start the system once"));
  EXPECT_FALSE(
      std::filesystem::exists(data_dir() / DatabaseOf("order-service")));  // nothing created behind the services' back
}

TEST(StockAfterSeeding, TakesFromWhatTheDatabaseHolds) {
  EXPECT_EQ(StockAfterSeeding("P001", 500, 1000, 200).value(), 300);
}

TEST(StockAfterSeeding, FallsBackToTheStockFile) {
  EXPECT_EQ(StockAfterSeeding("P001", std::nullopt, 1000, 200).value(), 800);
}

TEST(StockAfterSeeding, AnUnknownProductIsRefused) {
  auto after = StockAfterSeeding("P404", std::nullopt, std::nullopt, 1);
  ASSERT_FALSE(after.ok());
  EXPECT_THAT(after.status().message(), HasSubstr("P404"));
}

TEST(StockAfterSeeding, NeverGoesBelowZero) {
  EXPECT_EQ(StockAfterSeeding("P001", 5, 1000, 5).value(), 0);
  EXPECT_FALSE(StockAfterSeeding("P001", 5, 1000, 6).ok());
}

}  // namespace
}  // namespace sagaflow::bench

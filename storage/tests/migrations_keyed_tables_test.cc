// The migrations that rebuild keyed tables WITHOUT ROWID (payment and inventory 004, notification and
// order 003): rows written under the older schema survive with every column, foreign keys and unique
// constraints still hold, and the tables really are WITHOUT ROWID (one B-tree, so one page fewer per insert).
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "migrations/embedded_migrations.h"
#include "storage/migrator.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::migrations {
namespace {

class KeyedTablesTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }

  // Opens the service's database migrated up to (and including) `version`.
  void OpenAt(std::string_view service, int version) {
    auto db = storage::Database::Open({(dir_ / (std::string(service) + ".db")).string()});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    std::vector<storage::Migration> upto;
    for (const auto& migration : ForService(service)) {
      if (migration.version <= version) upto.push_back(migration);
    }
    ASSERT_EQ(upto.size(), static_cast<size_t>(version));
    Status migrated = storage::Migrate(*db_, upto, clock_.Now());
    ASSERT_TRUE(migrated.ok()) << migrated.ToString();
  }
  void MigrateFully(std::string_view service) {
    Status migrated = storage::Migrate(*db_, ForService(service), clock_.Now());
    ASSERT_TRUE(migrated.ok()) << migrated.ToString();
  }
  Status Exec(const std::string& sql) {
    return db_->Write([&](storage::UnitOfWork& uow) {
      uow.Exec(sql);
      return Status::Ok();
    });
  }
  std::vector<std::string> Rows(const std::string& sql) {
    std::vector<std::string> rows;
    Status status = db_->Read([&](storage::Sql& q) {
      auto& select = q.Prepare(sql);
      while (select.executeStep()) {
        std::string row;
        for (int i = 0; i < select.getColumnCount(); ++i) {
          row += (i > 0 ? "|" : "") + (select.getColumn(i).isNull() ? "NULL" : select.getColumn(i).getString());
        }
        rows.push_back(row);
      }
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return rows;
  }
  bool IsWithoutRowid(const std::string& table) {
    return !db_->Read([&](storage::Sql& q) {
                 q.Prepare("SELECT rowid FROM " + table);
                 return Status::Ok();
               })
                .ok();
  }

  storage::scratch::TempDir dir_{"sagaflow-migrations-test"};
  ManualClock clock_;
  std::unique_ptr<storage::Database> db_;
};

TEST_F(KeyedTablesTest, PaymentRowsAndStoredRepliesSurviveTheRebuild) {
  OpenAt("payment", 3);
  ASSERT_TRUE(Exec("INSERT INTO payments VALUES ('o-1', 'p-1', 2999, 'CHARGED', 'c1', 'u1'), "
                   "('o-2', 'p-2', 0, 'VOIDED', 'c2', 'u2');"
                   "INSERT INTO command_replies VALUES ('o-1:payment', 'payments/process', 'payments/processed', "
                   "'{\"x\":1}', 1700000000000)")
                  .ok());
  MigrateFully("payment");

  EXPECT_TRUE(IsWithoutRowid("payments"));
  EXPECT_TRUE(IsWithoutRowid("command_replies"));
  EXPECT_EQ(Rows("SELECT * FROM payments ORDER BY order_id"),
            (std::vector<std::string>{"o-1|p-1|2999|CHARGED|c1|u1", "o-2|p-2|0|VOIDED|c2|u2"}));
  EXPECT_EQ(Rows("SELECT * FROM command_replies"),
            (std::vector<std::string>{"o-1:payment|payments/process|payments/processed|{\"x\":1}|1700000000000"}));
  // The constraints came along.
  EXPECT_FALSE(Exec("INSERT INTO payments VALUES ('o-1', 'p-3', 1, 'CHARGED', 'c', 'u')").ok());
  EXPECT_FALSE(Exec("INSERT INTO payments VALUES ('o-3', 'p-3', 1, 'LOST', 'c', 'u')").ok());
  EXPECT_EQ(Rows("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'command_replies' "
                 "AND sql IS NOT NULL"),
            std::vector<std::string>{"command_replies_created"});
}

TEST_F(KeyedTablesTest, ReservationsAndTheirItemsSurviveTheRebuildWithTheirForeignKey) {
  OpenAt("inventory", 3);
  ASSERT_TRUE(Exec("INSERT INTO reservations VALUES ('o-1', 'r-1', 'RESERVED', NULL, 'c1', 'u1'), "
                   "('o-2', 'r-2', 'REJECTED', 'out_of_stock', 'c2', 'u2');"
                   "INSERT INTO reservation_items VALUES ('r-1', 'P001', 2), ('r-1', 'P002', 1);"
                   "INSERT INTO command_replies VALUES ('o-1:inventory', 'inventory/reserve', "
                   "'inventory/reserved', '{}', 1700000000000)")
                  .ok());
  MigrateFully("inventory");

  for (const char* table : {"reservations", "reservation_items", "command_replies"}) {
    EXPECT_TRUE(IsWithoutRowid(table)) << table;
  }
  EXPECT_EQ(Rows("SELECT * FROM reservations ORDER BY order_id"),
            (std::vector<std::string>{"o-1|r-1|RESERVED|NULL|c1|u1", "o-2|r-2|REJECTED|out_of_stock|c2|u2"}));
  EXPECT_EQ(Rows("SELECT * FROM reservation_items ORDER BY product_id"),
            (std::vector<std::string>{"r-1|P001|2", "r-1|P002|1"}));
  EXPECT_EQ(Rows("SELECT idempotency_key FROM command_replies"), std::vector<std::string>{"o-1:inventory"});
  EXPECT_TRUE(Rows("PRAGMA foreign_key_check").empty());
  // The items still reference the (renamed) reservations table, and the reservation id is still unique.
  EXPECT_EQ(Rows("SELECT \"table\" FROM pragma_foreign_key_list('reservation_items')"),
            std::vector<std::string>{"reservations"});
  EXPECT_FALSE(Exec("INSERT INTO reservation_items VALUES ('r-unknown', 'P001', 1)").ok());
  EXPECT_FALSE(Exec("INSERT INTO reservations VALUES ('o-3', 'r-1', 'RESERVED', NULL, 'c', 'u')").ok());
  EXPECT_TRUE(Exec("INSERT INTO reservation_items VALUES ('r-2', 'P001', 1)").ok());
}

TEST_F(KeyedTablesTest, NotificationsSurviveTheRebuildAndStayUniquePerOrderAndKind) {
  OpenAt("notification", 2);
  ASSERT_TRUE(Exec("INSERT INTO notifications VALUES ('o-1:order_received', 'o-1', 'order_received', 'm1', 'c1'), "
                   "('o-1:order_completed', 'o-1', 'order_completed', 'm2', 'c2')")
                  .ok());
  MigrateFully("notification");

  EXPECT_TRUE(IsWithoutRowid("notifications"));
  EXPECT_EQ(Rows("SELECT * FROM notifications ORDER BY created_at"),
            (std::vector<std::string>{"o-1:order_received|o-1|order_received|m1|c1",
                                      "o-1:order_completed|o-1|order_completed|m2|c2"}));
  EXPECT_FALSE(Exec("INSERT INTO notifications VALUES ('other-key', 'o-1', 'order_received', 'm', 'c')").ok());
  EXPECT_FALSE(Exec("INSERT INTO notifications VALUES ('o-1:order_received', 'o-2', 'x', 'm', 'c')").ok());
  EXPECT_TRUE(Rows("SELECT name FROM sqlite_master WHERE name = 'notifications_order'").empty());
}

TEST_F(KeyedTablesTest, OrderItemsAndHistorySurviveTheRebuildWithTheirKeys) {
  OpenAt("order", 2);
  ASSERT_TRUE(Exec("INSERT INTO orders(order_id, customer_id, status, total_cents, created_at, updated_at) "
                   "VALUES ('o-1', 'C1', 'PENDING', 5998, 'c', 'u');"
                   "INSERT INTO order_items VALUES ('o-1', 1, 'P001', 2, 2999);"
                   "INSERT INTO order_history VALUES ('o-1', 1, 'a1', 'created'), ('o-1', 2, 'a2', 'saga_started')")
                  .ok());
  MigrateFully("order");

  EXPECT_TRUE(IsWithoutRowid("order_items"));
  EXPECT_TRUE(IsWithoutRowid("order_history"));
  EXPECT_EQ(Rows("SELECT * FROM order_items"), std::vector<std::string>{"o-1|1|P001|2|2999"});
  EXPECT_EQ(Rows("SELECT * FROM order_history ORDER BY seq"),
            (std::vector<std::string>{"o-1|1|a1|created", "o-1|2|a2|saga_started"}));
  EXPECT_TRUE(Rows("PRAGMA foreign_key_check").empty());
  EXPECT_FALSE(Exec("INSERT INTO order_items VALUES ('o-unknown', 1, 'P001', 1, 1)").ok());
  EXPECT_FALSE(Exec("INSERT INTO order_history VALUES ('o-1', 3, 'a3', 'created')").ok());    // (order, event) unique
  EXPECT_FALSE(Exec("INSERT INTO order_history VALUES ('o-1', 2, 'a3', 'completed')").ok());  // (order, seq) key
}

}  // namespace
}  // namespace sagaflow::migrations

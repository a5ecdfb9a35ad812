#include "storage/migrator.h"

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "migrations/embedded_migrations.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::storage {
namespace {

struct AppliedRow {
  int version;
  std::string name;
  std::string applied_at;
  bool operator==(const AppliedRow&) const = default;
};

void PrintTo(const AppliedRow& row, std::ostream* os) {
  *os << "{" << row.version << ", " << row.name << ", " << row.applied_at << "}";
}

const Migration kCreateA{1, "create_a", "CREATE TABLE a (id INTEGER PRIMARY KEY);"};
const Migration kCreateB{2, "create_b", "CREATE TABLE b (id INTEGER PRIMARY KEY); INSERT INTO b(id) VALUES (7);"};
const Migration kCreateC{3, "create_c", "CREATE TABLE c (id INTEGER PRIMARY KEY);"};
// Its first statement succeeds; the second fails, so the whole migration must be undone.
const Migration kBrokenC{3, "broken_c", "CREATE TABLE c (id INTEGER PRIMARY KEY); INSERT INTO missing VALUES (1);"};

// One component named "test" with these migrations.
Status MigrateTest(Database& db, std::span<const Migration> migrations, TimePoint now) {
  const SchemaComponent components[] = {{"test", migrations}};
  return Migrate(db, components, now);
}

class MigratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    auto db = Database::Open({(dir_ / "test.db").string()});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
  }
  void TearDown() override { db_.reset(); }

  std::vector<AppliedRow> Applied() {
    std::vector<AppliedRow> rows;
    Status status = db_->Read([&](Sql& q) {
      auto& select =
          q.Prepare("SELECT version, name, applied_at FROM schema_versions WHERE component = 'test' ORDER BY version");
      while (select.executeStep()) {
        rows.push_back(
            {select.getColumn(0).getInt(), select.getColumn(1).getString(), select.getColumn(2).getString()});
      }
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return rows;
  }

  bool TableExists(const std::string& table) {
    int64_t count = 0;
    Status status = db_->Read([&](Sql& q) {
      auto& select = q.Prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
      select.bind(1, table);
      if (select.executeStep()) count = select.getColumn(0).getInt64();
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return count == 1;
  }

  scratch::TempDir dir_{"sagaflow-migrator-test"};
  std::unique_ptr<Database> db_;
  ManualClock clock_;
};

TEST_F(MigratorTest, FreshDatabaseGetsEveryMigrationRecorded) {
  const std::vector<Migration> migrations{kCreateA, kCreateB};
  ASSERT_TRUE(MigrateTest(*db_, migrations, clock_.Now()).ok());
  const std::string now = FormatIso8601(clock_.Now());
  EXPECT_EQ(Applied(), (std::vector<AppliedRow>{{1, "create_a", now}, {2, "create_b", now}}));
  EXPECT_TRUE(TableExists("a"));
  EXPECT_TRUE(TableExists("b"));
}

TEST_F(MigratorTest, SecondRunIsANoOp) {
  const std::vector<Migration> migrations{kCreateA, kCreateB};
  ASSERT_TRUE(MigrateTest(*db_, migrations, clock_.Now()).ok());
  const auto before = Applied();
  clock_.Advance(std::chrono::hours(1));
  // Running migration 2 again would fail (table b exists) or insert a second row into b.
  Status again = MigrateTest(*db_, migrations, clock_.Now());
  EXPECT_TRUE(again.ok()) << again.ToString();
  EXPECT_EQ(Applied(), before);
  int64_t rows_in_b = 0;
  ASSERT_TRUE(db_->Read([&](Sql& q) {
                   auto& select = q.Prepare("SELECT COUNT(*) FROM b");
                   if (select.executeStep()) rows_in_b = select.getColumn(0).getInt64();
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ(rows_in_b, 1);
}

TEST_F(MigratorTest, AppliesOnlyTheNewMigrationsOfANewerBuild) {
  const std::vector<Migration> old_build{kCreateA};
  ASSERT_TRUE(MigrateTest(*db_, old_build, clock_.Now()).ok());
  const std::string first = FormatIso8601(clock_.Now());
  clock_.Advance(std::chrono::hours(24));
  const std::vector<Migration> new_build{kCreateA, kCreateB, kCreateC};
  ASSERT_TRUE(MigrateTest(*db_, new_build, clock_.Now()).ok());
  const std::string second = FormatIso8601(clock_.Now());
  EXPECT_EQ(Applied(),
            (std::vector<AppliedRow>{{1, "create_a", first}, {2, "create_b", second}, {3, "create_c", second}}));
}

TEST_F(MigratorTest, RefusesADatabaseNewerThanTheBinaryInOneLine) {
  const std::vector<Migration> new_build{kCreateA, kCreateB, kCreateC};
  ASSERT_TRUE(MigrateTest(*db_, new_build, clock_.Now()).ok());
  const auto before = Applied();
  const std::vector<Migration> old_build{kCreateA, kCreateB};
  Status status = MigrateTest(*db_, old_build, clock_.Now());
  ASSERT_TRUE(status.IsFailedPrecondition()) << status.ToString();
  EXPECT_EQ(status.message().find('\n'), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("schema version 3"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("(2)"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find(db_->path()), std::string::npos) << status.message();
  EXPECT_EQ(Applied(), before);
}

TEST_F(MigratorTest, FailingMigrationLeavesNoTraceAndLaterOnesAreNotRun) {
  const std::vector<Migration> migrations{kCreateA, kCreateB, kBrokenC,
                                          Migration{4, "create_d", "CREATE TABLE d (id INTEGER);"}};
  Status status = MigrateTest(*db_, migrations, clock_.Now());
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(status.IsIoError()) << status.ToString();
  EXPECT_NE(status.message().find("test/3_broken_c"), std::string::npos) << status.message();
  const std::string now = FormatIso8601(clock_.Now());
  EXPECT_EQ(Applied(), (std::vector<AppliedRow>{{1, "create_a", now}, {2, "create_b", now}}));
  EXPECT_FALSE(TableExists("c"));  // its first statement was rolled back with it
  EXPECT_FALSE(TableExists("d"));

  // A fixed build then applies it.
  const std::vector<Migration> fixed{kCreateA, kCreateB, kCreateC};
  ASSERT_TRUE(MigrateTest(*db_, fixed, clock_.Now()).ok());
  EXPECT_TRUE(TableExists("c"));
  EXPECT_EQ(Applied().size(), 3U);
}

TEST_F(MigratorTest, RejectsMigrationsOutOfOrderOrDuplicatedBeforeTouchingTheDatabase) {
  const std::vector<Migration> reversed{kCreateB, kCreateA};
  Status status = MigrateTest(*db_, reversed, clock_.Now());
  EXPECT_TRUE(status.IsInvalidArgument()) << status.ToString();
  EXPECT_NE(status.message().find("out of order"), std::string::npos);
  const std::vector<Migration> duplicated{kCreateA, kCreateA};
  EXPECT_TRUE(MigrateTest(*db_, duplicated, clock_.Now()).IsInvalidArgument());
  EXPECT_FALSE(TableExists("schema_versions"));
  EXPECT_FALSE(TableExists("a"));
}

TEST_F(MigratorTest, NoMigrationsStillCreatesTheBookkeepingTable) {
  ASSERT_TRUE(MigrateTest(*db_, {}, clock_.Now()).ok());
  EXPECT_TRUE(TableExists("schema_versions"));
  EXPECT_TRUE(Applied().empty());
}

TEST_F(MigratorTest, ComponentsNumberTheirMigrationsIndependently) {
  const Migration create_x{1, "create_x", "CREATE TABLE x (id INTEGER PRIMARY KEY);"};
  const Migration create_y{1, "create_y", "CREATE TABLE y (id INTEGER PRIMARY KEY);"};
  const Migration alter_y{2, "alter_y", "ALTER TABLE y ADD COLUMN note TEXT;"};
  const std::vector<Migration> xs{create_x}, ys{create_y}, ys_newer{create_y, alter_y};
  const SchemaComponent old_build[] = {{"x", xs}, {"y", ys}};
  ASSERT_TRUE(Migrate(*db_, old_build, clock_.Now()).ok());
  const SchemaComponent new_build[] = {{"x", xs}, {"y", ys_newer}};
  ASSERT_TRUE(Migrate(*db_, new_build, clock_.Now()).ok());
  std::vector<std::string> rows;
  ASSERT_TRUE(db_->Read([&](Sql& q) {
                   auto& select = q.Prepare("SELECT component || '/' || version FROM schema_versions ORDER BY 1");
                   while (select.executeStep()) rows.push_back(select.getColumn(0).getString());
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ(rows, (std::vector<std::string>{"x/1", "y/1", "y/2"}));
  // The old build no longer opens it: y is at a version it does not know.
  Status refused = Migrate(*db_, old_build, clock_.Now());
  EXPECT_TRUE(refused.IsFailedPrecondition()) << refused.ToString();
  EXPECT_NE(refused.message().find("schema version 2 of y"), std::string::npos) << refused.message();
}

TEST_F(MigratorTest, RefusesADatabaseWithAComponentItDoesNotKnow) {
  const std::vector<Migration> migrations{kCreateA};
  ASSERT_TRUE(MigrateTest(*db_, migrations, clock_.Now()).ok());
  const SchemaComponent other[] = {{"other", migrations}};
  Status refused = Migrate(*db_, other, clock_.Now());
  EXPECT_TRUE(refused.IsFailedPrecondition()) << refused.ToString();
  EXPECT_NE(refused.message().find("component test"), std::string::npos) << refused.message();
}

TEST(EmbeddedMigrations, UnknownComponentHasNone) {
  EXPECT_TRUE(migrations::ForComponent("no-such-component").empty());
  EXPECT_FALSE(migrations::ForComponent("messaging").empty());
}

}  // namespace
}  // namespace sagaflow::storage

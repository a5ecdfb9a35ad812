// Each service's schema, made of its components: a fresh database gets every component's migrations, and a
// database made by the release before components (storage/tests/data/release-before-components, written by that
// release's binaries, with a few rows added) is adopted in place: its rows stay, its tables have exactly the
// shape a fresh database's have, and nothing is run twice. One of an older release is refused. The orchestrator's
// database of the release before the saga timeline (storage/tests/data/release-before-saga-events: sagas at
// version 2, written by that release's orchestrator, with a finished and a running saga added) is upgraded in place.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "migrations/embedded_migrations.h"
#include "migrations/service_schema.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::migrations {
namespace {

struct Service {
  std::string schema;   // "payment"
  std::string db_file;  // "payments.db"
  std::vector<std::string> components;
  std::vector<std::string> rows_kept;  // "table:count" in the old release's database
};

std::unique_ptr<storage::Database> Open(const std::filesystem::path& file) {
  auto db = storage::Database::Open({file.string()});
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}
// A copy in `dir` of the fixture database `db_file` of `release` (a folder of storage/tests/data), opened.
std::unique_ptr<storage::Database> OpenRelease(const std::filesystem::path& dir, const std::string& release,
                                               const std::string& db_file) {
  const auto file = dir / db_file;
  std::filesystem::copy_file(std::filesystem::path(SAGAFLOW_TEST_DATA_DIR) / release / db_file, file);
  return Open(file);
}
std::vector<std::string> Rows(storage::Database& db, const std::string& sql) {
  std::vector<std::string> rows;
  Status status = db.Read([&](storage::Sql& q) {
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
// Every table of the schema (but the migrators' own), its columns, rowid or not, indexes and foreign keys.
std::vector<std::string> Shape(storage::Database& db) {
  std::vector<std::string> shape;
  for (const auto& table :
       Rows(db,
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' AND name NOT "
            "IN ('schema_migrations', 'schema_versions') ORDER BY name")) {
    const std::string quoted = "'" + table + "'";
    for (const auto& sql : {"SELECT name, type, wr FROM pragma_table_list WHERE name = " + quoted,
                            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(" + quoted + ")",
                            "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(" + quoted + ")",
                            "SELECT \"unique\", origin, partial, (SELECT group_concat(name) FROM "
                            "pragma_index_info(il.name)), (SELECT sql FROM sqlite_master WHERE name = il.name) FROM "
                            "pragma_index_list(" +
                                quoted + ") AS il ORDER BY 1, 2, 3, 4, 5"}) {
      for (const auto& row : Rows(db, sql)) shape.push_back(table + ": " + row);
    }
  }
  return shape;
}
std::vector<std::string> Versions(storage::Database& db) {
  return Rows(db, "SELECT component || '/' || version FROM schema_versions ORDER BY component, version");
}
// Every migration of each of `components`, as this binary embeds them.
std::vector<std::string> AllVersions(const std::vector<std::string>& components) {
  std::vector<std::string> versions;
  for (const auto& component : components) {
    for (const auto& migration : ForComponent(component)) {
      versions.push_back(component + "/" + std::to_string(migration.version));
    }
  }
  std::sort(versions.begin(), versions.end());
  return versions;
}

class ServiceSchemaTest : public ::testing::TestWithParam<Service> {
 protected:
  std::unique_ptr<storage::Database> OpenOldRelease() {
    return OpenRelease(dir_.path(), "release-before-components", GetParam().db_file);
  }
  std::vector<std::string> AllVersions() const { return migrations::AllVersions(GetParam().components); }

  storage::scratch::TempDir dir_;
  ManualClock clock_;
};

TEST_P(ServiceSchemaTest, AFreshDatabaseGetsEveryComponent) {
  auto db = Open(dir_ / "fresh.db");
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(MigrateService(*db, GetParam().schema, clock_.Now()).ok());
  EXPECT_EQ(Versions(*db), AllVersions());
  for (const char* table : {"outbox", "inbox", "dead_letters"}) {
    EXPECT_EQ(Rows(*db, std::string("SELECT COUNT(*) FROM pragma_table_list WHERE name = '") + table + "'"),
              std::vector<std::string>{"1"})
        << table;
  }
  EXPECT_EQ(Rows(*db, "SELECT wr FROM pragma_table_list WHERE name = 'inbox'"), std::vector<std::string>{"1"});
  ASSERT_TRUE(MigrateService(*db, GetParam().schema, clock_.Now()).ok());  // a second start does nothing
  EXPECT_EQ(Versions(*db), AllVersions());
}

TEST_P(ServiceSchemaTest, ADatabaseOfTheReleaseBeforeComponentsIsAdoptedInPlace) {
  auto fresh = Open(dir_ / "fresh.db");
  ASSERT_NE(fresh, nullptr);
  ASSERT_TRUE(MigrateService(*fresh, GetParam().schema, clock_.Now()).ok());
  auto old = OpenOldRelease();
  ASSERT_NE(old, nullptr);
  std::vector<std::string> counts_before;
  for (const auto& kept : GetParam().rows_kept) {
    const std::string table = kept.substr(0, kept.find(':'));
    counts_before.push_back(table + ":" + Rows(*old, "SELECT COUNT(*) FROM " + table).front());
  }
  EXPECT_EQ(counts_before, GetParam().rows_kept) << "the fixture has the rows this test expects";

  Status adopted = MigrateService(*old, GetParam().schema, clock_.Now());
  ASSERT_TRUE(adopted.ok()) << adopted.ToString();
  EXPECT_EQ(Versions(*old), AllVersions());
  EXPECT_EQ(Shape(*old), Shape(*fresh));
  for (const auto& kept : GetParam().rows_kept) {
    const std::string table = kept.substr(0, kept.find(':'));
    EXPECT_EQ(table + ":" + Rows(*old, "SELECT COUNT(*) FROM " + table).front(), kept);
  }
  EXPECT_FALSE(Rows(*old, "SELECT version FROM schema_migrations").empty()) << "the old history stays";
  if (GetParam().schema == "orchestrator") {
    // Rebuilt by sagas/2: the rows keep their version (1) and their steps, and the steps still need their saga.
    EXPECT_EQ(
        Rows(*old, "SELECT COUNT(*) FROM sagas s JOIN saga_steps st USING (saga_id) WHERE definition_version = 1"),
        std::vector<std::string>{"1"});
    Status orphan = old->Write([](storage::UnitOfWork& uow) {
      uow.Exec(
          "INSERT INTO saga_steps(saga_id, step, stage, status, updated_at) VALUES ('none', 's', 0, 'PENDING', '')");
      return Status::Ok();
    });
    EXPECT_FALSE(orphan.ok()) << "the foreign key to sagas survives the rebuild";
  }
  ASSERT_TRUE(MigrateService(*old, GetParam().schema, clock_.Now()).ok());
  EXPECT_EQ(Versions(*old), AllVersions());
}

TEST_P(ServiceSchemaTest, ADatabaseOfAnOlderReleaseIsRefusedUntouched) {
  auto old = OpenOldRelease();
  ASSERT_NE(old, nullptr);
  ASSERT_TRUE(old->Write([](storage::UnitOfWork& uow) {
                   uow.Exec(
                       "DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)");
                   return Status::Ok();
                 })
                  .ok());
  Status refused = MigrateService(*old, GetParam().schema, clock_.Now());
  ASSERT_TRUE(refused.IsFailedPrecondition()) << refused.ToString();
  EXPECT_NE(refused.message().find("older release"), std::string::npos) << refused.message();
  EXPECT_TRUE(Rows(*old, "SELECT name FROM sqlite_master WHERE name = 'schema_versions'").empty());
}

INSTANTIATE_TEST_SUITE_P(
    Services, ServiceSchemaTest,
    ::testing::Values(
        Service{"order",
                "orders.db",
                {"messaging", "order"},
                {"orders:1", "order_items:1", "order_history:1", "outbox:1", "inbox:1"}},
        Service{"orchestrator", "orchestrator.db", {"messaging", "sagas"}, {"sagas:1", "saga_steps:1"}},
        Service{"payment", "payments.db", {"messaging", "commands", "payment"}, {"payments:1", "command_replies:1"}},
        Service{"inventory",
                "inventory.db",
                {"messaging", "commands", "inventory"},
                {"stock:1", "reservations:1", "reservation_items:1"}},
        Service{"notification", "notifications.db", {"messaging", "notification"}, {"notifications:1"}}),
    [](const ::testing::TestParamInfo<Service>& param) { return param.param.schema; });

// The release before the saga timeline left sagas at version 2: its sagas, steps, definitions and outbox stay as they
// were, and the timeline's table and the saga list's indexes are added, exactly as a fresh database has them.
TEST(SagaEventsUpgrade, ADatabaseOfTheReleaseBeforeTheTimelineIsUpgradedInPlace) {
  storage::scratch::TempDir dir;
  ManualClock clock;
  auto fresh = Open(dir / "fresh.db");
  ASSERT_NE(fresh, nullptr);
  ASSERT_TRUE(MigrateService(*fresh, "orchestrator", clock.Now()).ok());
  auto old = OpenRelease(dir.path(), "release-before-saga-events", "orchestrator.db");
  ASSERT_NE(old, nullptr);
  ASSERT_EQ(Versions(*old), (std::vector<std::string>{"messaging/1", "sagas/1", "sagas/2"}));
  const std::vector<std::string> tables{"sagas", "saga_steps", "saga_definitions", "outbox"};
  std::vector<std::vector<std::string>> before;
  before.reserve(tables.size());
  for (const auto& table : tables) before.push_back(Rows(*old, "SELECT * FROM " + table + " ORDER BY 1, 2"));
  ASSERT_EQ(before[0].size(), 2U) << "the fixture's finished and running sagas";
  ASSERT_EQ(before[1].size(), 6U);
  EXPECT_TRUE(Rows(*old, "SELECT name FROM sqlite_master WHERE name = 'saga_events'").empty());

  Status upgraded = MigrateService(*old, "orchestrator", clock.Now());
  ASSERT_TRUE(upgraded.ok()) << upgraded.ToString();
  EXPECT_EQ(Versions(*old), AllVersions({"messaging", "sagas"}));
  EXPECT_EQ(Shape(*old), Shape(*fresh));
  for (size_t i = 0; i < tables.size(); ++i) {
    EXPECT_EQ(Rows(*old, "SELECT * FROM " + tables[i] + " ORDER BY 1, 2"), before[i]) << tables[i];
  }
  EXPECT_EQ(Rows(*old, "SELECT COUNT(*) FROM saga_events"), std::vector<std::string>{"0"});
  EXPECT_EQ(
      Rows(*old,
           "SELECT il.name, (SELECT group_concat(name) FROM pragma_index_info(il.name)) FROM "
           "pragma_index_list('sagas') AS il WHERE il.origin = 'c' ORDER BY 1"),
      (std::vector<std::string>{"sagas_created|created_at,saga_id", "sagas_definition|definition,created_at,saga_id",
                                "sagas_state|state,created_at,saga_id"}));
  EXPECT_EQ(Rows(*old, "SELECT name FROM pragma_index_list('saga_events') WHERE partial = 1"),
            std::vector<std::string>{"saga_events_begun"});

  // The upgraded database takes a timeline for the sagas it had, and for no saga it lacks.
  Status appended = old->Write([](storage::UnitOfWork& uow) {
    uow.Exec(
        "INSERT INTO saga_events(saga_id, seq, at, kind) VALUES "
        "('019a8f00-0000-7000-8000-000000000002', 1, '2026-12-04T09:00:06.000Z', 'start_repeated')");
    return Status::Ok();
  });
  EXPECT_TRUE(appended.ok()) << appended.ToString();
  Status orphan = old->Write([](storage::UnitOfWork& uow) {
    uow.Exec("INSERT INTO saga_events(saga_id, seq, at, kind) VALUES ('none', 1, '', 'saga_started')");
    return Status::Ok();
  });
  EXPECT_FALSE(orphan.ok()) << "a timeline belongs to a saga";
  ASSERT_TRUE(MigrateService(*old, "orchestrator", clock.Now()).ok());
  EXPECT_EQ(Versions(*old), AllVersions({"messaging", "sagas"}));
}

}  // namespace
}  // namespace sagaflow::migrations

#include "storage/migrator.h"

#include <map>
#include <set>
#include <string>

#include "common/time_format.h"

namespace sagaflow::storage {

namespace {

bool TableExists(UnitOfWork& uow, const char* table) {
  auto& select = uow.Prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
  select.bind(1, table);
  return select.executeStep() && select.getColumn(0).getInt64() == 1;
}

void Record(UnitOfWork& uow, std::string_view component, const Migration& migration, TimePoint now) {
  auto& insert = uow.Prepare("INSERT INTO schema_versions(component, version, name, applied_at) VALUES (?, ?, ?, ?)");
  insert.bind(1, std::string(component));
  insert.bind(2, migration.version);
  insert.bind(3, std::string(migration.name));
  insert.bind(4, FormatIso8601(now));
  insert.exec();
}

// Records every component's first migration for a database of the release before components, at its last version.
Status Adopt(UnitOfWork& uow, const std::string& path, std::span<const SchemaComponent> components, TimePoint now,
             std::optional<LegacySchema> legacy) {
  auto& select = uow.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  const int version = select.executeStep() ? select.getColumn(0).getInt() : 0;
  if (!legacy) {
    return Status::FailedPrecondition("database " + path + " has a schema numbered per service (version " +
                                      std::to_string(version) + ") that this binary cannot adopt");
  }
  if (version > legacy->final_version) {
    return Status::FailedPrecondition("database " + path + " has schema version " + std::to_string(version) +
                                      ", newer than this binary knows (" + std::to_string(legacy->final_version) +
                                      "); run a newer build");
  }
  if (version < legacy->final_version) {
    return Status::FailedPrecondition(
        "database " + path + " has schema version " + std::to_string(version) + " of an older release; start it " +
        "once with the release that brings it to version " + std::to_string(legacy->final_version) + ", then this one");
  }
  for (const auto& component : components) {
    if (!component.migrations.empty()) Record(uow, component.name, component.migrations.front(), now);
  }
  return Status::Ok();
}

}  // namespace

Status Migrate(Database& db, std::span<const SchemaComponent> components, TimePoint now,
               std::optional<LegacySchema> legacy) {
  for (const auto& component : components) {
    for (size_t i = 1; i < component.migrations.size(); ++i) {
      if (component.migrations[i].version <= component.migrations[i - 1].version) {
        return Status::InvalidArgument("migrations of " + std::string(component.name) + " out of order at version " +
                                       std::to_string(component.migrations[i].version));
      }
    }
  }
  std::map<std::string, std::set<int>> applied;
  Status status = db.Write([&](UnitOfWork& uow) {
    const bool had_versions = TableExists(uow, "schema_versions");
    uow.Exec(
        "CREATE TABLE IF NOT EXISTS schema_versions (component TEXT NOT NULL, version INTEGER NOT NULL,"
        " name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (component, version)) WITHOUT ROWID");
    if (!had_versions && TableExists(uow, "schema_migrations")) {
      if (Status adopted = Adopt(uow, db.path(), components, now, legacy); !adopted.ok()) return adopted;
    }
    auto& select = uow.Prepare("SELECT component, version FROM schema_versions");
    while (select.executeStep()) applied[select.getColumn(0).getString()].insert(select.getColumn(1).getInt());
    return Status::Ok();
  });
  if (!status.ok()) return status;
  for (const auto& [name, versions] : applied) {
    const SchemaComponent* known = nullptr;
    for (const auto& component : components) {
      if (component.name == name) known = &component;
    }
    if (known == nullptr) {
      return Status::FailedPrecondition("database " + db.path() + " has tables of schema component " + name +
                                        ", which this binary does not know; is it another service's database?");
    }
    const int newest = known->migrations.empty() ? 0 : known->migrations.back().version;
    if (*versions.rbegin() > newest) {
      return Status::FailedPrecondition(
          "database " + db.path() + " has schema version " + std::to_string(*versions.rbegin()) + " of " + name +
          ", newer than this binary knows (" + std::to_string(newest) + "); run a newer build");
    }
  }
  for (const auto& component : components) {
    const auto& done = applied[std::string(component.name)];
    for (const auto& migration : component.migrations) {
      if (done.count(migration.version) != 0) continue;
      status = db.Write([&](UnitOfWork& uow) {
        uow.Exec(std::string(migration.sql));
        Record(uow, component.name, migration, now);
        return Status::Ok();
      });
      if (!status.ok()) {
        return Status::IoError("migration " + std::string(component.name) + "/" + std::to_string(migration.version) +
                               "_" + std::string(migration.name) + " failed: " + status.message());
      }
    }
  }
  return Status::Ok();
}

}  // namespace sagaflow::storage

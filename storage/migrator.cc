#include "storage/migrator.h"

#include <set>

#include "common/time_format.h"

namespace sagaflow::storage {

Status Migrate(Database& db, std::span<const Migration> migrations, TimePoint now) {
  for (size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version <= migrations[i - 1].version) {
      return Status::InvalidArgument("migrations out of order at version " + std::to_string(migrations[i].version));
    }
  }
  const int known = migrations.empty() ? 0 : migrations.back().version;
  std::set<int> applied;
  Status status = db.Write([&](UnitOfWork& uow) {
    uow.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    auto& select = uow.Prepare("SELECT version FROM schema_migrations");
    while (select.executeStep()) applied.insert(select.getColumn(0).getInt());
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (!applied.empty() && *applied.rbegin() > known) {
    return Status::FailedPrecondition("database " + db.path() + " has schema version " +
                                      std::to_string(*applied.rbegin()) + ", newer than this binary knows (" +
                                      std::to_string(known) + "); run a newer build");
  }
  for (const auto& migration : migrations) {
    if (applied.count(migration.version) != 0) continue;
    status = db.Write([&](UnitOfWork& uow) {
      uow.Exec(std::string(migration.sql));
      auto& insert = uow.Prepare("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)");
      insert.bind(1, migration.version);
      insert.bind(2, std::string(migration.name));
      insert.bind(3, FormatIso8601(now));
      insert.exec();
      return Status::Ok();
    });
    if (!status.ok()) {
      return Status::IoError("migration " + std::to_string(migration.version) + "_" + std::string(migration.name) +
                             " failed: " + status.message());
    }
  }
  return Status::Ok();
}

}  // namespace sagaflow::storage

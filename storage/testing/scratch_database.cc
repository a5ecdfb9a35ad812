#include "storage/testing/scratch_database.h"

#include <cstdlib>

#include "migrations/service_schema.h"
#include "storage/migrator.h"

namespace sagaflow::storage::scratch {

TempDir::TempDir(std::string_view prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

Result<std::unique_ptr<Database>> OpenMigrated(const std::filesystem::path& file, std::string_view service,
                                               TimePoint now, Durability durability) {
  auto db = Database::Open({file.string(), durability});
  if (!db.ok()) return db.status();
  if (Status migrated = migrations::MigrateService(**db, service, now); !migrated.ok()) return migrated;
  return db;
}

Status CreateMigrated(const std::filesystem::path& file, std::string_view service, TimePoint now,
                      const std::function<void(UnitOfWork&)>& fill) {
  auto db = OpenMigrated(file, service, now);
  if (!db.ok()) return db.status();
  return (*db)->Write([&](UnitOfWork& uow) {
    fill(uow);
    return Status::Ok();
  });
}

std::string DescribeScans(const std::vector<std::pair<std::string, int>>& scans) {
  std::string text;
  for (const auto& [sql, steps] : scans) text += "\n  " + std::to_string(steps) + " steps: " + sql;
  return text;
}

}  // namespace sagaflow::storage::scratch

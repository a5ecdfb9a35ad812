// ReadModel::DefinitionVersions: every definition version the orchestrator stored, read through the orchestrator's
// own queries (definitions::StoredDefinitions, store::ActiveSagasByVersion), so that "running" means what the
// orchestrator means by it; and what each version is to it now.
#include <map>
#include <memory>
#include <unordered_map>

#include "orchestrator/engine/saga_store.h"
#include "readmodel/database_access.h"
#include "readmodel/read_model.h"
#include "storage/database.h"

namespace sagaflow::readmodel {

namespace {

VersionRole RoleOf(const DefinitionVersion& version, bool name_has_current) {
  if (version.stored.current) return VersionRole::kCurrent;
  if (version.running == 0) return VersionRole::kIdle;
  if (!name_has_current) return VersionRole::kOrphaned;
  return VersionRole::kReplaced;
}

std::vector<DefinitionVersion> ReadVersions(SQLite::Database& db) {
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements;
  storage::Sql sql(db, statements);
  const auto running = engine::store::ActiveSagasByVersion(sql);
  std::vector<DefinitionVersion> versions;
  for (auto& stored : definitions::StoredDefinitions(sql)) {
    auto count = running.find({stored.name, stored.version});
    versions.push_back({std::move(stored), count == running.end() ? 0 : count->second, VersionRole::kIdle});
  }
  return versions;
}

}  // namespace

std::string_view Describe(VersionRole role) {
  switch (role) {
    case VersionRole::kCurrent:
      return "new sagas start on it";
    case VersionRole::kIdle:
      return "kept; nothing runs on it";
    case VersionRole::kOrphaned:
      return "removed from the folder; its sagas run on the stored copy";
    case VersionRole::kReplaced:
      return "replaced; its sagas finish on the stored copy";
  }
  return "";
}

Result<std::vector<DefinitionVersion>> ReadModel::DefinitionVersions() const {
  return Guarded([&] {
    auto db = OpenReadOnly(home_, DatabaseOf("orchestrator"));
    auto versions = ReadVersions(*db);
    std::map<std::string, bool> has_current;
    for (const auto& version : versions) has_current[version.stored.name] |= version.stored.current;
    for (auto& version : versions) version.role = RoleOf(version, has_current[version.stored.name]);
    return versions;
  });
}

}  // namespace sagaflow::readmodel

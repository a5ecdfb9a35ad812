#include "orchestrator/definitions/definition_versions.h"

#include "common/json_value.h"
#include "common/time_format.h"
#include "orchestrator/engine/saga_store.h"

namespace sagaflow::definitions {

namespace {

Result<std::string> Canonical(const LoadedDefinition& definition) {
  auto parsed = JsonValue::Parse(definition.content);
  if (!parsed.ok()) return Status::InvalidArgument(definition.file + ": " + parsed.status().message());
  return parsed->ToJson();
}

// Records one definition of the folder as current; FailedPrecondition if its version is stored with other content.
Status Record(storage::UnitOfWork& uow, const LoadedDefinition& definition, const std::string& content,
              const std::string& at) {
  const engine::SagaDefinition& saga = definition.saga;
  auto& stored = uow.Prepare("SELECT content, file FROM saga_definitions WHERE name = ? AND version = ?");
  stored.bind(1, saga.name);
  stored.bind(2, saga.version);
  if (stored.executeStep()) {
    const bool same = stored.getColumn(0).getString() == content;
    const std::string first_file = stored.getColumn(1).getString();
    stored.reset();
    if (!same) {
      return Status::FailedPrecondition(definition.file + ": " + saga.name + " version " +
                                        std::to_string(saga.version) + " differs from the version " +
                                        std::to_string(saga.version) + " this orchestrator has run (read from " +
                                        first_file + "): give the changed definition a new version");
    }
  } else {
    stored.reset();
    auto& insert = uow.Prepare(
        "INSERT INTO saga_definitions(name, version, content, file, first_run_at, current) VALUES (?, ?, ?, ?, ?, 1)");
    insert.bind(1, saga.name);
    insert.bind(2, saga.version);
    insert.bind(3, content);
    insert.bind(4, definition.file);
    insert.bind(5, at);
    insert.exec();
  }
  auto& mark = uow.Prepare("UPDATE saga_definitions SET current = 1 WHERE name = ? AND version = ?");
  mark.bind(1, saga.name);
  mark.bind(2, saga.version);
  mark.exec();
  return Status::Ok();
}

// The stored versions that unfinished sagas began on and the folder does not hold, parsed from their copies.
Status RegisterStoredVersions(storage::Sql& sql, const DefinitionSettings& settings, engine::SagaRegistry& registry,
                              const Logger& logger) {
  const auto active = engine::store::ActiveSagasByVersion(sql);
  for (const StoredDefinition& stored : StoredDefinitions(sql)) {
    auto count = active.find({stored.name, stored.version});
    if (stored.current || count == active.end()) continue;
    const std::string origin = "stored copy of " + stored.name + " version " + std::to_string(stored.version);
    auto parsed = ParseDefinition(stored.content, origin, settings);
    if (!parsed.ok()) return Status::FailedPrecondition(parsed.status().message());
    if (Status added = registry.Add(std::move(parsed->saga), false); !added.ok()) {
      return Status::FailedPrecondition(origin + ": " + added.message());
    }
    const bool removed = registry.Current(stored.name) == nullptr;
    logger->warn("{} saga(s) run on {} version {} from its stored copy (first read from {}){}", count->second,
                 stored.name, stored.version, stored.file,
                 removed ? "; its definition is no longer in the folder" : "; new sagas start on the folder's version");
  }
  return Status::Ok();
}

}  // namespace

Status RecordAndRegister(storage::Database& db, const std::vector<LoadedDefinition>& folder,
                         const DefinitionSettings& settings, TimePoint now, engine::SagaRegistry& registry,
                         const Logger& logger) {
  std::vector<std::string> contents;
  for (const auto& definition : folder) {
    auto content = Canonical(definition);
    if (!content.ok()) return content.status();
    contents.push_back(std::move(*content));
  }
  const std::string at = FormatIso8601(now);
  Status recorded = db.Write([&](storage::UnitOfWork& uow) {
    uow.Exec("UPDATE saga_definitions SET current = 0 WHERE current = 1");
    for (size_t i = 0; i < folder.size(); ++i) {
      if (Status one = Record(uow, folder[i], contents[i], at); !one.ok()) return one;
    }
    return Status::Ok();
  });
  if (!recorded.ok()) return recorded;
  for (const auto& definition : folder) {
    if (Status added = registry.Add(definition.saga, true); !added.ok()) {
      return Status::FailedPrecondition(definition.file + ": " + added.message());
    }
  }
  Status stored = db.Read([&](storage::Sql& sql) { return RegisterStoredVersions(sql, settings, registry, logger); });
  if (!stored.ok()) return stored;
  // Nothing in the folder is run before it is recorded durably: a saga begun on it must find it after a power cut.
  return db.AwaitDurable();
}

std::vector<StoredDefinition> StoredDefinitions(storage::Sql& sql) {
  auto& select = sql.Prepare(
      "SELECT name, version, content, file, first_run_at, current FROM saga_definitions ORDER BY name, version");
  std::vector<StoredDefinition> definitions;
  while (select.executeStep()) {
    definitions.push_back({select.getColumn(0).getString(), select.getColumn(1).getInt(),
                           select.getColumn(2).getString(), select.getColumn(3).getString(),
                           select.getColumn(4).getString(), select.getColumn(5).getInt() == 1});
  }
  return definitions;
}

}  // namespace sagaflow::definitions

// definitions check FILE... | definitions list: saga definitions, offline (check reads the files as the orchestrator
// would, every problem on its own line, and whether they can run side by side) and as the orchestrator has run them
// (list reads orchestrator.db: every stored version, which one is current, and how many sagas still run on each).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/json_writer.h"
#include "orchestrator/definitions/definition_folder.h"
#include "orchestrator/engine/saga_registry.h"
#include "tools/sagactl/commands.h"
#include "tools/sagactl/table.h"

namespace sagaflow::sagactl {

namespace {

int CheckDefinitions(const Context& context, const std::vector<std::string>& files) {
  if (files.empty()) throw Failure(2, "definitions check takes one or more definition files");
  engine::SagaRegistry together;
  std::string problems;
  for (const auto& file : files) {
    auto loaded = definitions::ReadDefinitionFile(file, {});
    if (!loaded.ok()) {
      problems += loaded.status().message() + "\n";
      continue;
    }
    const engine::SagaDefinition& saga = loaded->saga;
    if (Status added = together.Add(saga, true); !added.ok()) {
      problems += file + ": " + added.message() + "\n";
      continue;
    }
    size_t steps = 0;
    for (const auto& stage : saga.stages) steps += stage.steps.size();
    *context.out << file << ": ok: " << saga.name << " version " << saga.version << ", " << saga.stages.size()
                 << " stage(s), " << steps << " step(s), correlated by " << saga.correlation_field << "\n";
  }
  if (problems.empty()) return 0;
  throw Failure(2, problems.substr(0, problems.size() - 1));
}

struct StoredVersion {
  std::string name;
  int version = 0;
  bool current = false;
  std::string file;
  std::string first_run_at;
  int64_t running = 0;
};

std::vector<StoredVersion> ReadVersions(SQLite::Database& db) {
  // Sagas the engine may still act on, through the state and deadline indexes (never the whole history).
  SQLite::Statement running(db,
                            "SELECT definition, definition_version, COUNT(*) FROM sagas WHERE saga_id IN ("
                            "SELECT saga_id FROM sagas WHERE state IN ('RUNNING', 'COMPENSATING', 'FAILED') "
                            "UNION SELECT saga_id FROM saga_steps WHERE deadline IS NOT NULL) "
                            "GROUP BY definition, definition_version");
  std::map<std::pair<std::string, int>, int64_t> counts;
  while (running.executeStep()) {
    counts[{running.getColumn(0).getString(), running.getColumn(1).getInt()}] = running.getColumn(2).getInt64();
  }
  SQLite::Statement select(
      db, "SELECT name, version, current, file, first_run_at FROM saga_definitions ORDER BY name, version");
  std::vector<StoredVersion> versions;
  while (select.executeStep()) {
    StoredVersion version{select.getColumn(0).getString(),   select.getColumn(1).getInt(),
                          select.getColumn(2).getInt() == 1, select.getColumn(3).getString(),
                          select.getColumn(4).getString(),   0};
    auto count = counts.find({version.name, version.version});
    if (count != counts.end()) version.running = count->second;
    versions.push_back(std::move(version));
  }
  return versions;
}

// What an operator should know about a version beyond its numbers.
std::string NoteOn(const StoredVersion& version, bool name_has_current) {
  if (version.current) return "new sagas start on it";
  if (version.running == 0) return "kept; nothing runs on it";
  if (!name_has_current) return "removed from the folder; its sagas run on the stored copy";
  return "replaced; its sagas finish on the stored copy";
}

int ListDefinitions(const Context& context) {
  auto db = context.Open(DatabaseOf("orchestrator"));
  const auto versions = ReadVersions(*db);
  std::map<std::string, bool> has_current;
  for (const auto& version : versions) has_current[version.name] |= version.current;
  Table table({"definition", "version", "current", "running", "first run", "file", "note"});
  JsonWriter json;
  json.BeginArray();
  for (const auto& version : versions) {
    const std::string note = NoteOn(version, has_current[version.name]);
    table.Add({version.name, std::to_string(version.version), version.current ? "yes" : "no",
               std::to_string(version.running), version.first_run_at, version.file, note});
    json.BeginObject()
        .Key("name")
        .String(version.name)
        .Key("version")
        .Int(version.version)
        .Key("current")
        .Bool(version.current)
        .Key("running")
        .Int(version.running)
        .Key("firstRunAt")
        .String(version.first_run_at)
        .Key("file")
        .String(version.file)
        .Key("note")
        .String(note)
        .EndObject();
  }
  json.EndArray();
  if (context.json) {
    *context.out << json.str() << "\n";
  } else {
    *context.out << table.Render() << versions.size() << " definition version(s)\n";
  }
  return 0;
}

}  // namespace

int DefinitionsCommand(const Context& context, const CommandLine& command_line) {
  const std::vector<std::string>& operands = command_line.operands;
  if (!operands.empty() && operands.front() == "check") {
    return CheckDefinitions(context, std::vector<std::string>(operands.begin() + 1, operands.end()));
  }
  if (operands.size() == 1 && operands.front() == "list") return ListDefinitions(context);
  throw Failure(2, "definitions takes 'check FILE...' or 'list'");
}

}  // namespace sagaflow::sagactl

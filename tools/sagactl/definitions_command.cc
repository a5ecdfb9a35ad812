// definitions check FILE... | definitions list: saga definitions, offline (check reads the files as the orchestrator
// would, every problem on its own line, and whether they can run side by side) and as the orchestrator has run them
// (list: the read model's every stored version, which one is current, and how many sagas still run on each).
#include <string>
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

int ListDefinitions(const Context& context) {
  const auto versions = Checked(context.read_model().DefinitionVersions());
  Table table({"definition", "version", "current", "running", "first run", "file", "note"});
  JsonWriter json;
  json.BeginArray();
  for (const auto& [stored, running, role] : versions) {
    const std::string note(readmodel::Describe(role));
    table.Add({stored.name, std::to_string(stored.version), stored.current ? "yes" : "no", std::to_string(running),
               stored.first_run_at, stored.file, note});
    json.BeginObject()
        .Key("name")
        .String(stored.name)
        .Key("version")
        .Int(stored.version)
        .Key("current")
        .Bool(stored.current)
        .Key("running")
        .Int(running)
        .Key("firstRunAt")
        .String(stored.first_run_at)
        .Key("file")
        .String(stored.file)
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

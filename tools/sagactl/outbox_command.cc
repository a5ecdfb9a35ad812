// outbox: how many rows each service has not yet published, and since when (readmodel::ReadModel::OutboxBacklogs);
// a backlog that grows means its relay cannot reach the broker.
#include <string>

#include "common/json_writer.h"
#include "tools/sagactl/commands.h"
#include "tools/sagactl/table.h"

namespace sagaflow::sagactl {

int OutboxCommand(const Context& context, const CommandLine& /*command_line*/) {
  const auto backlogs = Checked(context.read_model().OutboxBacklogs());
  Table table({"service", "unpublished", "oldest", "age"});
  JsonWriter json;
  json.BeginArray();
  for (const auto& backlog : backlogs) {
    const std::string& oldest = backlog.oldest_created_at;
    table.Add(
        {backlog.service, std::to_string(backlog.unpublished), oldest, oldest.empty() ? "" : Age(context, oldest)});
    json.BeginObject()
        .Key("service")
        .String(backlog.service)
        .Key("unpublished")
        .Int(backlog.unpublished)
        .Key("oldest")
        .String(oldest)
        .EndObject();
  }
  json.EndArray();
  *context.out << (context.json ? json.str() + "\n" : table.Render());
  return 0;
}

}  // namespace sagaflow::sagactl

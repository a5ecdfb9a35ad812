// outbox: how many rows each service has not yet published, and since when; a backlog that grows means its relay
// cannot reach the broker.
#include <cstdint>
#include <string>

#include "common/json_writer.h"
#include "tools/sagactl/commands.h"
#include "tools/sagactl/table.h"

namespace sagaflow::sagactl {

int OutboxCommand(const Context& context, const CommandLine& /*command_line*/) {
  Table table({"service", "unpublished", "oldest", "age"});
  JsonWriter json;
  json.BeginArray();
  for (const auto& [service, file] : ServiceDatabases()) {
    auto db = context.Open(file);
    SQLite::Statement select(*db, "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE published_at IS NULL");
    select.executeStep();
    const int64_t count = select.getColumn(0).getInt64();
    const std::string oldest = Text(select, 1);
    table.Add({service, std::to_string(count), oldest, oldest.empty() ? "" : Age(context, oldest)});
    json.BeginObject()
        .Key("service")
        .String(service)
        .Key("unpublished")
        .Int(count)
        .Key("oldest")
        .String(oldest)
        .EndObject();
  }
  json.EndArray();
  *context.out << (context.json ? json.str() + "\n" : table.Render());
  return 0;
}

}  // namespace sagaflow::sagactl

// dlq: the messages each service refused (malformed, unknown, failing), newest last; the text shortens long
// payloads, the JSON keeps them whole.
#include <string>

#include "common/json_writer.h"
#include "tools/sagactl/commands.h"
#include "tools/sagactl/table.h"

namespace sagaflow::sagactl {

int DeadLettersCommand(const Context& context, const CommandLine& /*command_line*/) {
  Table table({"service", "received", "topic", "error", "payload"});
  JsonWriter json;
  json.BeginArray();
  int count = 0;
  for (const auto& [service, file] : ServiceDatabases()) {
    auto db = context.Open(file);
    SQLite::Statement select(*db, "SELECT received_at, topic, error, payload FROM dead_letters ORDER BY id");
    while (select.executeStep()) {
      ++count;
      std::string payload = select.getColumn(3).getString();
      if (payload.size() > 60) payload = payload.substr(0, 57) + "...";
      table.Add({service, select.getColumn(0).getString(), select.getColumn(1).getString(),
                 select.getColumn(2).getString(), payload});
      json.BeginObject()
          .Key("service")
          .String(service)
          .Key("receivedAt")
          .String(select.getColumn(0).getString())
          .Key("topic")
          .String(select.getColumn(1).getString())
          .Key("error")
          .String(select.getColumn(2).getString())
          .Key("payload")
          .String(select.getColumn(3).getString())
          .EndObject();
    }
  }
  json.EndArray();
  *context.out << (context.json ? json.str() + "\n" : table.Render() + std::to_string(count) + " dead letter(s)\n");
  return 0;
}

}  // namespace sagaflow::sagactl

// dlq: the messages each service refused (malformed, unknown, failing), service by service and oldest first: every
// page of readmodel::ReadModel::DeadLetters (newest first), turned around. The text shortens long payloads, the JSON
// keeps them whole.
#include <algorithm>
#include <string>
#include <vector>

#include "common/json_writer.h"
#include "manifest/service_manifest.h"
#include "tools/sagactl/commands.h"
#include "tools/sagactl/table.h"

namespace sagaflow::sagactl {

namespace {

// Every dead letter of `service`, oldest first.
std::vector<readmodel::DeadLetter> AllDeadLetters(const readmodel::ReadModel& read_model, const std::string& service) {
  std::vector<readmodel::DeadLetter> letters;
  readmodel::PageRequest page{"", readmodel::kMaxPageSize};
  do {
    auto next = Checked(read_model.DeadLetters(service, page));
    letters.insert(letters.end(), next.rows.begin(), next.rows.end());
    page.cursor = next.next_cursor;
  } while (!page.cursor.empty());
  std::reverse(letters.begin(), letters.end());
  return letters;
}

}  // namespace

int DeadLettersCommand(const Context& context, const CommandLine& /*command_line*/) {
  const readmodel::ReadModel read_model = context.read_model();
  Table table({"service", "received", "topic", "error", "payload"});
  JsonWriter json;
  json.BeginArray();
  int count = 0;
  for (const auto& service : SagaflowServices()) {
    for (const auto& letter : AllDeadLetters(read_model, service.name)) {
      ++count;
      std::string payload = letter.payload;
      if (payload.size() > 60) payload = payload.substr(0, 57) + "...";
      table.Add({letter.service, letter.received_at, letter.topic, letter.error, payload});
      json.BeginObject()
          .Key("service")
          .String(letter.service)
          .Key("receivedAt")
          .String(letter.received_at)
          .Key("topic")
          .String(letter.topic)
          .Key("error")
          .String(letter.error)
          .Key("payload")
          .String(letter.payload)
          .EndObject();
    }
  }
  json.EndArray();
  *context.out << (context.json ? json.str() + "\n" : table.Render() + std::to_string(count) + " dead letter(s)\n");
  return 0;
}

}  // namespace sagaflow::sagactl

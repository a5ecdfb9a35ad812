#include "wire/dead_letter_message.h"

#include "common/json_writer.h"
#include "wire/field_reader.h"

namespace sagaflow::wire {

std::string Encode(const DeadLetter& message) {
  JsonWriter json;
  json.BeginObject()
      .Key("messageId")
      .String(message.message_id)
      .Key(message.correlation_field)
      .String(message.correlation_id)
      .Key("topic")
      .String(message.topic)
      .Key("payload")
      .String(message.payload)
      .Key("error")
      .String(message.error)
      .Key("at")
      .String(message.at)
      .Key("when")
      .String(message.at)
      .EndObject();
  return json.Take();
}

Result<DeadLetter> DecodeDeadLetter(simdjson::dom::object body, std::string_view correlation_field) {
  FieldReader read(body);
  DeadLetter message;
  message.message_id = read.String("messageId");
  message.correlation_field = std::string(correlation_field);
  message.correlation_id = read.String(correlation_field);
  message.topic = read.String("topic");
  message.payload = read.String("payload");
  message.error = read.String("error");
  message.at = read.String("at");
  read.String("when");  // the same instant under the other name; required, as every writer writes it
  return read.Finish(std::move(message));
}

}  // namespace sagaflow::wire

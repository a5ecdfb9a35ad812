#include "wire/notification_messages.h"

#include "wire/common_fields.h"

namespace sagaflow::wire {

std::string Encode(const NotificationSent& message) {
  JsonWriter json = BeginKeyedMessage(message.message_id, message.order_id, message.idempotency_key);
  json.Key("kind").String(message.kind).Key("at").String(message.at).EndObject();
  return json.Take();
}

Result<NotificationSent> DecodeNotificationSent(simdjson::dom::object body) {
  FieldReader read(body);
  NotificationSent message;
  ReadKeyedMessageStart(read, message);
  message.kind = read.String("kind");
  message.at = read.String("at");
  return read.Finish(std::move(message));
}

}  // namespace sagaflow::wire

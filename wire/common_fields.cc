#include "wire/common_fields.h"

namespace sagaflow::wire {

JsonWriter BeginMessage(std::string_view message_id, std::string_view order_id) {
  JsonWriter json;
  json.BeginObject().Key("messageId").String(message_id).Key("orderId").String(order_id);
  return json;
}

JsonWriter BeginKeyedMessage(std::string_view message_id, std::string_view order_id, std::string_view key) {
  JsonWriter json = BeginMessage(message_id, order_id);
  json.Key("idempotencyKey").String(key);
  return json;
}

void WriteIfSet(JsonWriter& json, std::string_view key, const std::string& value) {
  if (!value.empty()) json.Key(key).String(value);
}

void WriteIfSet(JsonWriter& json, std::string_view key, std::optional<Cents> cents) {
  if (cents) json.Key(key).Raw(FormatMoney(*cents));
}

}  // namespace sagaflow::wire

#include "wire/inventory_messages.h"

#include "wire/common_fields.h"

namespace sagaflow::wire {

std::string Encode(const InventoryReserve& message) {
  JsonWriter json = BeginKeyedMessage(message.message_id, message.order_id, message.idempotency_key);
  json.Key("items").BeginArray();
  for (const auto& item : message.items) {
    json.BeginObject().Key("productId").String(item.product_id).Key("quantity").Int(item.quantity).EndObject();
  }
  json.EndArray().EndObject();
  return json.Take();
}

std::string Encode(const InventoryReserved& message) {
  JsonWriter json = BeginKeyedMessage(message.message_id, message.order_id, message.idempotency_key);
  WriteIfSet(json, "reservationId", message.reservation_id);
  json.Key("success").Bool(message.success);
  WriteIfSet(json, "reason", message.reason);
  WriteIfSet(json, "reservedAt", message.reserved_at);
  json.EndObject();
  return json.Take();
}

std::string Encode(const InventoryRelease& message) {
  JsonWriter json = BeginKeyedMessage(message.message_id, message.order_id, message.idempotency_key);
  json.EndObject();
  return json.Take();
}

std::string Encode(const InventoryReleased& message) {
  JsonWriter json = BeginKeyedMessage(message.message_id, message.order_id, message.idempotency_key);
  json.Key("success").Bool(message.success);
  WriteIfSet(json, "status", message.status);
  WriteIfSet(json, "releasedAt", message.released_at);
  json.EndObject();
  return json.Take();
}

Result<InventoryReserve> DecodeInventoryReserve(simdjson::dom::object body) {
  FieldReader read(body);
  InventoryReserve message;
  ReadKeyedMessageStart(read, message);
  message.items = read.Objects<ReserveLine>("items", [](FieldReader& item) {
    return ReserveLine{item.String("productId"), item.Int("quantity")};
  });
  return read.Finish(std::move(message));
}

Result<InventoryReserved> DecodeInventoryReserved(simdjson::dom::object body) {
  FieldReader read(body);
  InventoryReserved message;
  ReadKeyedMessageStart(read, message);
  message.reservation_id = read.OptionalString("reservationId");
  message.success = read.Bool("success");
  message.reason = read.OptionalString("reason");
  message.reserved_at = read.OptionalString("reservedAt");
  return read.Finish(std::move(message));
}

Result<InventoryRelease> DecodeInventoryRelease(simdjson::dom::object body) {
  FieldReader read(body);
  InventoryRelease message;
  ReadKeyedMessageStart(read, message);
  return read.Finish(std::move(message));
}

Result<InventoryReleased> DecodeInventoryReleased(simdjson::dom::object body) {
  FieldReader read(body);
  InventoryReleased message;
  ReadKeyedMessageStart(read, message);
  message.success = read.Bool("success");
  message.status = read.OptionalString("status");
  message.released_at = read.OptionalString("releasedAt");
  return read.Finish(std::move(message));
}

}  // namespace sagaflow::wire

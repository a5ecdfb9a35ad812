#include "wire/order_messages.h"

#include "wire/common_fields.h"

namespace sagaflow::wire {

std::string Encode(const OrderCreated& message) {
  JsonWriter json = BeginMessage(message.message_id, message.order_id);
  json.Key("customerId").String(message.customer_id).Key("items").BeginArray();
  for (const auto& item : message.items) {
    json.BeginObject()
        .Key("productId")
        .String(item.product_id)
        .Key("quantity")
        .Int(item.quantity)
        .Key("price")
        .Raw(FormatMoney(item.price_cents))
        .EndObject();
  }
  json.EndArray()
      .Key("totalAmount")
      .Raw(FormatMoney(message.total_cents))
      .Key("createdAt")
      .String(message.created_at)
      .EndObject();
  return json.Take();
}

std::string Encode(const OrderCompleted& message) {
  JsonWriter json = BeginKeyedMessage(message.message_id, message.order_id, message.idempotency_key);
  WriteIfSet(json, "at", message.at);
  json.EndObject();
  return json.Take();
}

std::string Encode(const OrderCancelled& message) {
  JsonWriter json = BeginKeyedMessage(message.message_id, message.order_id, message.idempotency_key);
  WriteIfSet(json, "reason", message.reason);
  WriteIfSet(json, "at", message.at);
  json.EndObject();
  return json.Take();
}

std::string Encode(const OrderProgress& message) {
  JsonWriter json = BeginMessage(message.message_id, message.order_id);
  json.Key("event").String(message.event);
  WriteIfSet(json, "status", message.status);
  WriteIfSet(json, "reason", message.reason);
  WriteIfSet(json, "at", message.at);
  json.EndObject();
  return json.Take();
}

Result<OrderCreated> DecodeOrderCreated(simdjson::dom::object body) {
  FieldReader read(body);
  OrderCreated message;
  ReadMessageStart(read, message);
  message.customer_id = read.String("customerId");
  message.items = read.Objects<OrderLine>("items", [](FieldReader& item) {
    return OrderLine{item.String("productId"), item.Int("quantity"), item.Money("price")};
  });
  message.total_cents = read.Money("totalAmount");
  message.created_at = read.String("createdAt");
  return read.Finish(std::move(message));
}

Result<OrderCompleted> DecodeOrderCompleted(simdjson::dom::object body) {
  FieldReader read(body);
  OrderCompleted message;
  ReadKeyedMessageStart(read, message);
  message.at = read.OptionalString("at");
  return read.Finish(std::move(message));
}

Result<OrderCancelled> DecodeOrderCancelled(simdjson::dom::object body) {
  FieldReader read(body);
  OrderCancelled message;
  ReadKeyedMessageStart(read, message);
  message.reason = read.OptionalString("reason");
  message.at = read.OptionalString("at");
  return read.Finish(std::move(message));
}

Result<OrderProgress> DecodeOrderProgress(simdjson::dom::object body) {
  FieldReader read(body);
  OrderProgress message;
  ReadMessageStart(read, message);
  message.event = read.String("event");
  message.status = read.OptionalString("status");
  message.reason = read.OptionalString("reason");
  message.at = read.OptionalString("at");
  return read.Finish(std::move(message));
}

}  // namespace sagaflow::wire

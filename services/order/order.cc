#include "services/order/order.h"

#include "common/json_writer.h"
#include "wire/order_messages.h"

namespace sagaflow::order {

namespace {

int Rank(std::string_view status) {
  if (status == kPending) return 0;
  if (status == kProcessing) return 1;
  if (status == kCompensating) return 2;
  if (status == kFailed) return 3;
  if (status == kCompleted || status == kCancelled) return 4;
  return -1;
}

void WriteItems(JsonWriter& json, const std::vector<OrderItem>& items) {
  json.BeginArray();
  for (const auto& item : items) {
    json.BeginObject()
        .Key("productId")
        .String(item.product_id)
        .Key("quantity")
        .Int(item.quantity)
        .Key("price")
        .Raw(FormatMoney(item.price_cents))
        .EndObject();
  }
  json.EndArray();
}

}  // namespace

bool IsKnownStatus(std::string_view status) {
  return Rank(status) >= 0;
}

bool IsTerminal(std::string_view status) {
  return status == kCompleted || status == kCancelled;
}

bool CanAdvance(std::string_view from, std::string_view to) {
  if (IsTerminal(from)) return false;
  return Rank(to) > Rank(from);
}

std::string OrderJson(const Order& order, bool with_history) {
  JsonWriter json;
  json.BeginObject().Key("orderId").String(order.order_id).Key("customerId").String(order.customer_id).Key("items");
  WriteItems(json, order.items);
  json.Key("totalAmount").Raw(FormatMoney(order.total_cents)).Key("status").String(order.status);
  if (!order.reason.empty()) json.Key("reason").String(order.reason);
  json.Key("createdAt").String(order.created_at).Key("updatedAt").String(order.updated_at);
  if (with_history) {
    json.Key("history").BeginArray();
    for (const auto& entry : order.history) {
      json.BeginObject().Key("at").String(entry.at).Key("event").String(entry.event).EndObject();
    }
    json.EndArray();
  }
  json.EndObject();
  return json.Take();
}

std::string OrderCreatedEvent(const Order& order, std::string_view message_id) {
  wire::OrderCreated created{std::string(message_id), order.order_id,  order.customer_id, {},
                             order.total_cents,       order.created_at};
  for (const auto& item : order.items) created.items.push_back({item.product_id, item.quantity, item.price_cents});
  return wire::Encode(created);
}

}  // namespace sagaflow::order

#include "orchestrator/order_saga/order_saga.h"

#include "common/json.h"
#include "common/json_writer.h"
#include "manifest/topics.h"
#include "messaging/idempotency_keys.h"

namespace sagaflow::order_saga {

namespace {

// The saga's data is the orders/created payload, validated by ValidateOrderCreated.
struct OrderData {
  std::string customer_id;
  Cents total_cents = 0;
  std::vector<std::pair<std::string, int64_t>> items;  // productId, quantity
};

Result<OrderData> ReadOrder(simdjson::dom::object body) {
  OrderData order;
  auto customer = GetString(body, "customerId");
  if (!customer.ok()) return customer.status();
  if (customer->empty()) return Status::InvalidArgument("customerId must not be empty");
  order.customer_id = std::string(*customer);
  auto total = GetMoney(body, "totalAmount");
  if (!total.ok()) return total.status();
  if (Status within = CheckOrderTotal(*total, "totalAmount"); !within.ok()) return within;
  order.total_cents = *total;
  auto items = GetArray(body, "items");
  if (!items.ok()) return items.status();
  for (simdjson::dom::element element : *items) {
    simdjson::dom::object item;
    if (element.get_object().get(item)) return Status::InvalidArgument("items entries must be objects");
    auto product = GetString(item, "productId");
    if (!product.ok()) return product.status();
    auto quantity = GetInt(item, "quantity");
    if (!quantity.ok()) return quantity.status();
    if (product->empty() || *quantity <= 0) return Status::InvalidArgument("items need a productId and a quantity > 0");
    order.items.emplace_back(std::string(*product), *quantity);
  }
  if (order.items.empty()) return Status::InvalidArgument("items must not be empty");
  return order;
}

OrderData Parse(const engine::SagaContext& context) {
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, context.data);
  simdjson::dom::object body;
  if (!root.ok() || root->get_object().get(body)) return {};
  auto order = ReadOrder(body);
  return order.ok() ? *order : OrderData{};
}

JsonWriter& BeginMessage(JsonWriter& json, const engine::SagaContext& context, const std::string& key,
                         const std::string& message_id) {
  return json.BeginObject()
      .Key("messageId")
      .String(message_id)
      .Key("orderId")
      .String(context.correlation_id)
      .Key("idempotencyKey")
      .String(key);
}

engine::ReplyVerdict ReadVerdict(simdjson::dom::object reply, const char* default_reason) {
  auto success = GetBool(reply, "success");
  if (success.ok() && *success) return {true, ""};
  return {false, std::string(GetStringOr(reply, "reason", default_reason))};
}

}  // namespace

engine::SagaDefinition MakeOrderSaga(const OrderSagaOptions& options) {
  engine::SagaDefinition saga;
  saga.name = "order";
  saga.start_topic = std::string(topics::kOrderCreated);
  saga.validate_start = [](simdjson::dom::object start) { return ReadOrder(start).status(); };
  saga.rejected_start_reason = std::string(kInvalidOrderReason);

  engine::RetryPolicy step_retry{options.step_attempts, 2.0, options.step_timeout * 6, 0.2};
  engine::RetryPolicy compensation_retry{options.compensation_attempts, 2.0, options.step_timeout * 6, 0.2};

  engine::StepDefinition payment;
  payment.name = std::string(messaging::kPaymentStep);
  payment.command_topic = std::string(topics::kPaymentProcess);
  payment.reply_topic = std::string(topics::kPaymentProcessed);
  payment.compensation_topic = std::string(topics::kPaymentRefund);
  payment.compensation_reply_topic = std::string(topics::kPaymentRefunded);
  payment.timeout = options.step_timeout;
  payment.retry = step_retry;
  payment.compensation_retry = compensation_retry;
  payment.build_command = [](const engine::SagaContext& context, const std::string& key, const std::string& id) {
    const OrderData order = Parse(context);
    JsonWriter json;
    BeginMessage(json, context, key, id)
        .Key("customerId")
        .String(order.customer_id)
        .Key("amount")
        .Raw(FormatMoney(order.total_cents))
        .EndObject();
    return json.Take();
  };
  payment.build_compensation = [](const engine::SagaContext& context, const std::string& key, const std::string& id) {
    const OrderData order = Parse(context);
    JsonWriter json;
    BeginMessage(json, context, key, id).Key("amount").Raw(FormatMoney(order.total_cents)).EndObject();
    return json.Take();
  };
  payment.read_reply = [](simdjson::dom::object reply) { return ReadVerdict(reply, "payment_declined"); };
  payment.verify_reply = [](const engine::SagaContext& context, simdjson::dom::object reply) {
    // A charge is ours only if it is for the amount we asked: a success without one proves nothing.
    auto amount = GetMoney(reply, "amount");
    const auto success = GetBool(reply, "success");
    if (!amount.ok()) return success.ok() && *success ? amount.status() : Status::Ok();
    const Cents expected = Parse(context).total_cents;
    if (*amount == expected) return Status::Ok();
    return Status::InvalidArgument("amount " + FormatMoney(*amount) + " is not the " + FormatMoney(expected) +
                                   " this saga asked to charge");
  };

  engine::StepDefinition inventory;
  inventory.name = std::string(messaging::kInventoryStep);
  inventory.command_topic = std::string(topics::kInventoryReserve);
  inventory.reply_topic = std::string(topics::kInventoryReserved);
  inventory.compensation_topic = std::string(topics::kInventoryRelease);
  inventory.compensation_reply_topic = std::string(topics::kInventoryReleased);
  inventory.timeout = options.step_timeout;
  inventory.retry = step_retry;
  inventory.compensation_retry = compensation_retry;
  inventory.build_command = [](const engine::SagaContext& context, const std::string& key, const std::string& id) {
    const OrderData order = Parse(context);
    JsonWriter json;
    BeginMessage(json, context, key, id).Key("items").BeginArray();
    for (const auto& [product, quantity] : order.items) {
      json.BeginObject().Key("productId").String(product).Key("quantity").Int(quantity).EndObject();
    }
    json.EndArray().EndObject();
    return json.Take();
  };
  inventory.build_compensation = [](const engine::SagaContext& context, const std::string& key, const std::string& id) {
    JsonWriter json;
    BeginMessage(json, context, key, id).EndObject();
    return json.Take();
  };
  inventory.read_reply = [](simdjson::dom::object reply) { return ReadVerdict(reply, "out_of_stock"); };

  saga.stages.push_back({{payment, inventory}});

  saga.outcome.ack_topic = std::string(topics::kNotificationSent);
  saga.outcome.timeout = options.step_timeout;
  saga.outcome.retry = {1'000'000, 2.0, options.step_timeout * 6, 0.2};
  saga.outcome.build = [](const engine::SagaContext& context, bool completed, const std::string& reason,
                          const std::string& key, const std::string& id, const std::string& at) {
    JsonWriter json;
    BeginMessage(json, context, key, id);
    if (!completed) json.Key("reason").String(reason);
    json.Key("at").String(at).EndObject();
    return std::vector<engine::OutgoingPayload>{
        {std::string(completed ? topics::kOrderCompleted : topics::kOrderCancelled), json.Take()}};
  };
  saga.build_progress = [](const engine::SagaContext& context, const engine::ProgressEvent& event,
                           const std::string& id, const std::string& at) -> std::optional<engine::OutgoingPayload> {
    if (event.status.empty()) return std::nullopt;  // the outcome and its reason tell the rest
    JsonWriter json;
    json.BeginObject()
        .Key("messageId")
        .String(id)
        .Key("orderId")
        .String(context.correlation_id)
        .Key("event")
        .String(event.event);
    if (!event.status.empty()) json.Key("status").String(event.status);
    json.Key("at").String(at).EndObject();
    return engine::OutgoingPayload{std::string(topics::kOrderProgress), json.Take()};
  };
  return saga;
}

}  // namespace sagaflow::order_saga

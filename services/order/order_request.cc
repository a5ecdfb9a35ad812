#include "services/order/order_request.h"

#include <simdjson.h>

#include "common/json.h"
#include "common/json_writer.h"
#include "common/text.h"

namespace sagaflow::order {

namespace ondemand = simdjson::ondemand;

Cents OrderRequest::TotalCents() const {
  Cents total = 0;
  for (const auto& item : items) total += item.quantity * item.price_cents;
  return total;
}

std::string OrderRequest::Canonical() const {
  JsonWriter json;
  json.BeginObject().Key("customerId").String(customer_id).Key("items").BeginArray();
  for (const auto& item : items) {
    json.BeginObject()
        .Key("productId")
        .String(item.product_id)
        .Key("quantity")
        .Int(item.quantity)
        .Key("priceCents")
        .Int(item.price_cents)
        .EndObject();
  }
  json.EndArray().EndObject();
  return json.Take();
}

size_t Utf8Length(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

namespace {

Status Invalid(const std::string& message) {
  return Status::InvalidArgument(message);
}

std::string_view TrimRight(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

Result<std::string> ReadId(ondemand::value value, const std::string& field, size_t max_chars) {
  ondemand::json_type type;
  std::string_view text;
  if (value.type().get(type) || type != ondemand::json_type::string || value.get_string().get(text)) {
    return Invalid(field + " must be a string");
  }
  if (text.empty()) return Invalid(field + " must not be empty");
  if (Utf8Length(text) > max_chars) {
    return Invalid(field + " must be at most " + std::to_string(max_chars) + " characters");
  }
  // An id ends up in logs, terminals and other services' payloads: a newline or ESC in it would forge
  // a log line or rewrite an operator's screen.
  if (HasControlCharacters(text)) return Invalid(field + " must not contain control characters");
  return std::string(text);
}

Result<OrderItem> ReadItem(ondemand::value value, const std::string& prefix) {
  ondemand::object object;
  ondemand::json_type type;
  if (value.type().get(type) || type != ondemand::json_type::object || value.get_object().get(object)) {
    return Invalid(prefix + " must be an object");
  }
  OrderItem item;
  bool has_product = false, has_quantity = false, has_price = false;
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return Invalid(prefix + " has a malformed key");
    ondemand::value field_value;
    if (field.value().get(field_value)) return Invalid(prefix + " is malformed");
    if (key == "productId") {
      auto id = ReadId(field_value, prefix + ".productId", kMaxProductIdChars);
      if (!id.ok()) return id.status();
      item.product_id = std::move(*id);
      has_product = true;
    } else if (key == "quantity") {
      const std::string name = prefix + ".quantity";
      const std::string range =
          name + " must be an integer from " + std::to_string(kMinQuantity) + " to " + std::to_string(kMaxQuantity);
      if (field_value.type().get(type) || type != ondemand::json_type::number) return Invalid(range);
      ondemand::number_type number_type;
      if (field_value.get_number_type().get(number_type) ||
          number_type == ondemand::number_type::floating_point_number) {
        return Invalid(range);
      }
      int64_t quantity = 0;
      if (field_value.get_int64().get(quantity) || quantity < kMinQuantity || quantity > kMaxQuantity) {
        return Invalid(range);
      }
      item.quantity = quantity;
      has_quantity = true;
    } else if (key == "price") {
      const std::string name = prefix + ".price";
      if (field_value.type().get(type) || type != ondemand::json_type::number) {
        return Invalid(name + " must be a number");
      }
      auto cents = ParseMoney(TrimRight(field_value.raw_json_token()));
      if (!cents.ok()) {
        if (cents.status().message() == "has more than 2 decimals") return Invalid(name + " has more than 2 decimals");
        return Invalid(name + " must be a number from 0 to 1000000");
      }
      if (*cents > kMaxPriceCents) return Invalid(name + " must be a number from 0 to 1000000");
      item.price_cents = *cents;
      has_price = true;
    }
  }
  if (!has_product) return Invalid(prefix + ".productId is missing");
  if (!has_quantity) return Invalid(prefix + ".quantity is missing");
  if (!has_price) return Invalid(prefix + ".price is missing");
  return item;
}

}  // namespace

Result<OrderRequest> ParseOrderRequest(std::string_view body) {
  // A strict DOM pass first: simdjson's on-demand API does not reject trailing content or validate
  // parts it skips, and a request must be exactly one well-formed JSON document.
  simdjson::dom::parser dom_parser;
  auto root = ParseJson(dom_parser, body);
  if (!root.ok()) return root.status();
  if (!root->is_object()) return Invalid("body must be a JSON object");

  simdjson::padded_string padded(body);
  ondemand::parser parser;
  ondemand::document document;
  ondemand::object object;
  if (parser.iterate(padded).get(document) || document.get_object().get(object)) {
    return Invalid("body must be a JSON object");
  }
  OrderRequest request;
  bool has_customer = false, has_items = false;
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return Invalid("malformed JSON: bad key");
    ondemand::value value;
    if (field.value().get(value)) return Invalid("malformed JSON");
    if (key == "customerId") {
      auto id = ReadId(value, "customerId", kMaxCustomerIdChars);
      if (!id.ok()) return id.status();
      request.customer_id = std::move(*id);
      has_customer = true;
    } else if (key == "items") {
      const std::string count_rule =
          "items must have from " + std::to_string(kMinItems) + " to " + std::to_string(kMaxItems) + " entries";
      ondemand::json_type type;
      ondemand::array array;
      if (value.type().get(type) || type != ondemand::json_type::array || value.get_array().get(array)) {
        return Invalid("items must be an array");
      }
      request.items.clear();
      size_t index = 0;
      for (auto element : array) {
        if (index >= kMaxItems) return Invalid(count_rule);
        ondemand::value item_value;
        if (element.get(item_value)) return Invalid("items is malformed");
        auto item = ReadItem(item_value, "items[" + std::to_string(index) + "]");
        if (!item.ok()) return item.status();
        request.items.push_back(std::move(*item));
        ++index;
      }
      if (request.items.size() < kMinItems) return Invalid(count_rule);
      has_items = true;
    }
  }
  if (!has_customer) return Invalid("customerId is missing");
  if (!has_items) return Invalid("items is missing");
  // Each item is at most 10^6 x 10^8 cents and there are at most 100, so the sum cannot overflow.
  if (Status within = CheckOrderTotal(request.TotalCents(), "totalAmount"); !within.ok()) return within;
  return request;
}

}  // namespace sagaflow::order

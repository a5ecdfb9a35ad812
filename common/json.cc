#include "common/json.h"

#include <cmath>

namespace sagaflow {

Result<simdjson::dom::element> ParseJson(simdjson::dom::parser& parser, std::string_view text) {
  if (!simdjson::validate_utf8(text.data(), text.size())) {
    return Status::InvalidArgument("malformed JSON: invalid UTF-8");
  }
  simdjson::dom::element root;
  const auto error = parser.parse(text.data(), text.size()).get(root);
  if (error) return Status::InvalidArgument(std::string("malformed JSON: ") + simdjson::error_message(error));
  return root;
}

namespace {

Result<simdjson::dom::element> Field(simdjson::dom::object object, std::string_view field) {
  simdjson::dom::element value;
  if (object[field].get(value)) return Status::InvalidArgument(std::string(field) + " is missing");
  return value;
}

Status WrongType(std::string_view field, std::string_view type) {
  return Status::InvalidArgument(std::string(field) + " must be " + std::string(type));
}

}  // namespace

Result<std::string_view> GetString(simdjson::dom::object object, std::string_view field) {
  auto value = Field(object, field);
  if (!value.ok()) return value.status();
  std::string_view out;
  if (value->get_string().get(out)) return WrongType(field, "a string");
  return out;
}

Result<int64_t> GetInt(simdjson::dom::object object, std::string_view field) {
  auto value = Field(object, field);
  if (!value.ok()) return value.status();
  int64_t out = 0;
  if (value->get_int64().get(out)) return WrongType(field, "an integer");
  return out;
}

Result<bool> GetBool(simdjson::dom::object object, std::string_view field) {
  auto value = Field(object, field);
  if (!value.ok()) return value.status();
  bool out = false;
  if (value->get_bool().get(out)) return WrongType(field, "a boolean");
  return out;
}

Result<simdjson::dom::array> GetArray(simdjson::dom::object object, std::string_view field) {
  auto value = Field(object, field);
  if (!value.ok()) return value.status();
  simdjson::dom::array out;
  if (value->get_array().get(out)) return WrongType(field, "an array");
  return out;
}

Result<simdjson::dom::object> GetObject(simdjson::dom::object object, std::string_view field) {
  auto value = Field(object, field);
  if (!value.ok()) return value.status();
  simdjson::dom::object out;
  if (value->get_object().get(out)) return WrongType(field, "an object");
  return out;
}

Result<Cents> CentsFromDouble(double value) {
  if (!std::isfinite(value) || value < 0 || value > 1e13) return Status::InvalidArgument("is out of range");
  const auto cents = static_cast<Cents>(std::llround(value * 100.0));
  // simdjson rounds decimal text correctly, and so does this division: equal only if the text was c/100.
  if (static_cast<double>(cents) / 100.0 != value) return Status::InvalidArgument("has more than 2 decimals");
  return cents;
}

Result<Cents> GetMoney(simdjson::dom::object object, std::string_view field) {
  auto value = Field(object, field);
  if (!value.ok()) return value.status();
  double number = 0;
  if (value->get_double().get(number)) return WrongType(field, "a number");
  auto cents = CentsFromDouble(number);
  if (!cents.ok()) return Status::InvalidArgument(std::string(field) + " " + cents.status().message());
  return cents;
}

std::string_view GetStringOr(simdjson::dom::object object, std::string_view field, std::string_view fallback) {
  std::string_view out;
  if (object[field].get_string().get(out)) return fallback;
  return out;
}

}  // namespace sagaflow

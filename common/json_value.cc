#include "common/json_value.h"

#include <charconv>

#include <simdjson.h>

namespace sagaflow {
namespace {

namespace ondemand = simdjson::ondemand;

// simdjson reports a number's token with the whitespace after it.
std::string_view TrimRight(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

Status Failed(simdjson::error_code error) {
  return Status::InvalidArgument(simdjson::error_message(error));
}

Result<JsonValue> Build(ondemand::value value);

Result<JsonValue> BuildObject(ondemand::object object) {
  std::vector<JsonValue::Field> fields;
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return Failed(error);
    std::string key_text(key);
    ondemand::value child;
    if (auto error = field.value().get(child)) return Failed(error);
    auto built = Build(child);
    if (!built.ok()) return built.status();
    fields.emplace_back(std::move(key_text), std::move(*built));
  }
  return JsonValue::Object(std::move(fields));
}

Result<JsonValue> BuildArray(ondemand::array array) {
  std::vector<JsonValue> items;
  for (auto element : array) {
    ondemand::value child;
    if (auto error = element.get(child)) return Failed(error);
    auto built = Build(child);
    if (!built.ok()) return built.status();
    items.push_back(std::move(*built));
  }
  return JsonValue::Array(std::move(items));
}

Result<JsonValue> Build(ondemand::value value) {
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return Failed(error);
  switch (type) {
    case ondemand::json_type::object: {
      ondemand::object object;
      if (auto error = value.get_object().get(object)) return Failed(error);
      return BuildObject(object);
    }
    case ondemand::json_type::array: {
      ondemand::array array;
      if (auto error = value.get_array().get(array)) return Failed(error);
      return BuildArray(array);
    }
    case ondemand::json_type::number:
      return JsonValue::Number(std::string(TrimRight(value.raw_json_token())));
    case ondemand::json_type::string: {
      std::string_view text;
      if (auto error = value.get_string().get(text)) return Failed(error);
      return JsonValue::String(std::string(text));
    }
    case ondemand::json_type::boolean: {
      bool flag = false;
      if (auto error = value.get_bool().get(flag)) return Failed(error);
      return JsonValue::Bool(flag);
    }
    case ondemand::json_type::null:
      return JsonValue();
  }
  return Status::InvalidArgument("unknown JSON value");
}

}  // namespace

JsonValue JsonValue::Bool(bool value) {
  JsonValue json;
  json.kind_ = Kind::kBool;
  json.boolean_ = value;
  return json;
}

JsonValue JsonValue::Number(std::string text) {
  JsonValue json;
  json.kind_ = Kind::kNumber;
  json.text_ = std::move(text);
  return json;
}

JsonValue JsonValue::String(std::string value) {
  JsonValue json;
  json.kind_ = Kind::kString;
  json.text_ = std::move(value);
  return json;
}

JsonValue JsonValue::Array(std::vector<JsonValue> items) {
  JsonValue json;
  json.kind_ = Kind::kArray;
  json.items_ = std::move(items);
  return json;
}

JsonValue JsonValue::Object(std::vector<Field> fields) {
  JsonValue json;
  json.kind_ = Kind::kObject;
  json.fields_ = std::move(fields);
  return json;
}

Result<JsonValue> JsonValue::Parse(std::string_view text) {
  // The DOM parser validates the whole text (on-demand alone does not notice trailing garbage); the on-demand one
  // then gives each number's token as written.
  const simdjson::padded_string padded(text);
  simdjson::dom::parser validator;
  if (auto error = validator.parse(padded).error()) return Failed(error);
  ondemand::parser parser;
  ondemand::document document;
  if (auto error = parser.iterate(padded).get(document)) return Failed(error);
  ondemand::json_type type;
  if (auto error = document.type().get(type)) return Failed(error);
  // A scalar document cannot be read as a value in simdjson 3.0; such a document is built here.
  if (type == ondemand::json_type::number) return Number(std::string(TrimRight(document.raw_json_token())));
  if (type == ondemand::json_type::string) {
    std::string_view value;
    if (auto error = document.get_string().get(value)) return Failed(error);
    return String(std::string(value));
  }
  if (type == ondemand::json_type::boolean) {
    bool flag = false;
    if (auto error = document.get_bool().get(flag)) return Failed(error);
    return Bool(flag);
  }
  if (type == ondemand::json_type::null) return JsonValue();
  ondemand::value root;
  if (auto error = document.get_value().get(root)) return Failed(error);
  return Build(root);
}

std::optional<int64_t> JsonValue::Integer() const {
  int64_t number = 0;
  const auto [end, error] = std::from_chars(text_.data(), text_.data() + text_.size(), number);
  if (kind_ != Kind::kNumber || error != std::errc() || end != text_.data() + text_.size()) return std::nullopt;
  return number;
}

const JsonValue* JsonValue::Find(std::string_view key) const {
  for (const auto& [name, value] : fields_) {
    if (name == key) return &value;
  }
  return nullptr;
}

void JsonValue::WriteTo(JsonWriter& out) const {
  switch (kind_) {
    case Kind::kNull:
      out.Null();
      return;
    case Kind::kBool:
      out.Bool(boolean_);
      return;
    case Kind::kNumber:
      out.Raw(text_);
      return;
    case Kind::kString:
      out.String(text_);
      return;
    case Kind::kArray:
      out.BeginArray();
      for (const auto& item : items_) item.WriteTo(out);
      out.EndArray();
      return;
    case Kind::kObject:
      out.BeginObject();
      for (const auto& [name, value] : fields_) {
        out.Key(name);
        value.WriteTo(out);
      }
      out.EndObject();
      return;
  }
}

std::string JsonValue::ToJson() const {
  JsonWriter out;
  WriteTo(out);
  return out.Take();
}

std::string_view ToString(JsonValue::Kind kind) {
  switch (kind) {
    case JsonValue::Kind::kNull:
      return "null";
    case JsonValue::Kind::kBool:
      return "boolean";
    case JsonValue::Kind::kNumber:
      return "number";
    case JsonValue::Kind::kString:
      return "string";
    case JsonValue::Kind::kArray:
      return "array";
    case JsonValue::Kind::kObject:
      return "object";
  }
  return "?";
}

}  // namespace sagaflow

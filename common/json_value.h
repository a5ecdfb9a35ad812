// JsonValue: a parsed JSON document that keeps every number's exact text, for data that is copied from one
// message into another (a saga's input into its commands) and for files whose constants are copied the same way.
// A number read as a double would turn 5.00 into 5 and could round money; here "5.00" stays "5.00". Strings are
// held decoded (UTF-8) and written back with JsonWriter's canonical escaping; objects keep their fields in the
// order written. Parse refuses anything that is not exactly one valid JSON value (trailing text included), with
// the reason. A value, immutable once parsed; copying it copies the tree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json_writer.h"
#include "common/status.h"

namespace sagaflow {

class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  using Field = std::pair<std::string, JsonValue>;

  JsonValue() = default;  // null
  static JsonValue Bool(bool value);
  static JsonValue Number(std::string text);  // `text` must be a valid JSON number
  static JsonValue String(std::string value);
  static JsonValue Array(std::vector<JsonValue> items);
  static JsonValue Object(std::vector<Field> fields);

  static Result<JsonValue> Parse(std::string_view text);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }

  bool boolean() const { return boolean_; }
  // A string's decoded value, or a number's text as written.
  const std::string& text() const { return text_; }
  // A number written as an integer that fits in 64 bits ("12", not "12.0" or "1e3"), or nullopt.
  std::optional<int64_t> Integer() const;
  const std::vector<JsonValue>& items() const { return items_; }
  const std::vector<Field>& fields() const { return fields_; }
  // The value of the object field `key` (the first, if repeated), or nullptr (also when this is not an object).
  const JsonValue* Find(std::string_view key) const;

  void WriteTo(JsonWriter& out) const;
  std::string ToJson() const;

  bool operator==(const JsonValue&) const = default;

 private:
  Kind kind_ = Kind::kNull;
  bool boolean_ = false;
  std::string text_;
  std::vector<JsonValue> items_;
  std::vector<Field> fields_;
};

std::string_view ToString(JsonValue::Kind kind);  // "null", "boolean", "number", "string", "array", "object"

}  // namespace sagaflow

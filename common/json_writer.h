// JsonWriter: builds compact JSON text with correct escaping, without a DOM.
//
// Strings are escaped per RFC 8259: quotes, backslashes and control characters, and also DEL and the C1
// controls, which a terminal showing the text would obey; other non-ASCII UTF-8 passes through unchanged
// and invalid UTF-8 bytes become U+FFFD, so the output is always valid JSON even for a dead-lettered
// payload that was not. Commas are placed automatically. Not thread-safe (a value).
//
//   JsonWriter w;
//   w.BeginObject().Key("orderId").String(id).Key("totalAmount").Raw(FormatMoney(cents)).EndObject();
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sagaflow {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Writes already-valid JSON text (a number from FormatMoney, a nested document) as one value.
  JsonWriter& Raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();

  std::string out_;
  // One entry per open container: true once it holds an element (so the next needs a comma).
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

// Appends `value` to `out` as a quoted, escaped JSON string.
void AppendJsonString(std::string& out, std::string_view value);

}  // namespace sagaflow

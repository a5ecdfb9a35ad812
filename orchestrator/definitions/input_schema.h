// InputSchema: the fields a saga's start message must carry, with their types, as a definition file declares them:
//
//   "input": {
//     "customerId": {"type": "string", "minLength": 1},
//     "totalAmount": {"type": "money", "max": "100000000000.00"},
//     "items": {"type": "array", "minItems": 1, "maxItems": 1000,
//               "items": {"type": "object", "fields": {"productId": {"type": "string", "minLength": 1},
//                                                      "quantity": {"type": "integer", "min": 1}}}}
//   }
//
// Types: string (minLength, maxLength), integer (min, max), number, money (a non-negative amount with at most two
// decimals, read exactly from its text; max), boolean, object (fields), array (items, minItems, maxItems). Every
// declared field is required; fields not declared are allowed and ignored. A payload template may copy only
// declared fields, so a typo in a template is found when the file loads, not when a saga runs.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_value.h"
#include "common/status.h"
#include "orchestrator/definitions/problems.h"

namespace sagaflow::definitions {

class FieldRule {
 public:
  enum class Type { kString, kInteger, kNumber, kMoney, kBoolean, kObject, kArray };

  // Reads a rule ({"type": ..., ...}) at `path`; adds a problem for each thing wrong with it.
  static std::optional<FieldRule> Compile(const JsonValue& node, const std::string& path, Problems& problems);
  // The rule of an object with these fields ({"name": rule, ...} at `path`).
  static std::optional<FieldRule> ObjectOf(const JsonValue& fields, const std::string& path, Problems& problems);

  // OK, or InvalidArgument naming the field (`where`, e.g. "items[2].quantity") and what is wrong.
  Status Check(const JsonValue& value, const std::string& where) const;

  Type type() const { return type_; }
  // The rule of a field of this object (nullptr if not declared or not an object).
  const FieldRule* Field(std::string_view name) const;
  // The rule of this array's elements (nullptr if not an array).
  const FieldRule* Element() const { return element_.get(); }
  const std::vector<std::pair<std::string, FieldRule>>& fields() const { return fields_; }

 private:
  Type type_ = Type::kString;
  std::optional<int64_t> min_;  // string length, integer value or array size, by type
  std::optional<int64_t> max_;
  std::vector<std::pair<std::string, FieldRule>> fields_;  // objects, in declared order
  std::shared_ptr<const FieldRule> element_;               // arrays
};

// A path into the input such as "$.totalAmount" or "$.customer.name", checked against the rule of the value it
// starts from (the input, or an array element in a template's "$each").
class InputPath {
 public:
  // Records a problem at `where` if `text` is not "$." followed by fields the rule declares.
  static std::optional<InputPath> Compile(const std::string& text, const FieldRule& scope, const std::string& where,
                                          Problems& problems);
  // The value at the path in `value`, or nullptr.
  const JsonValue* Find(const JsonValue& value) const;
  // The rule of the value the path reaches (it lives as long as the schema).
  const FieldRule& rule() const { return *rule_; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::vector<std::string> segments_;
  const FieldRule* rule_ = nullptr;
};

class InputSchema {
 public:
  // `node` is the "input" object of a definition, at `path`.
  static std::optional<InputSchema> Compile(const JsonValue& node, const std::string& path, Problems& problems);

  // OK if `input` (a start message) has every declared field with its type; otherwise InvalidArgument naming the
  // first field that does not.
  Status Check(const JsonValue& input) const { return root_.Check(input, ""); }
  const FieldRule& root() const { return root_; }

 private:
  FieldRule root_;
};

}  // namespace sagaflow::definitions

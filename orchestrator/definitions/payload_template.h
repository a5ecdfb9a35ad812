// PayloadTemplate: the fields of a message a saga sends, written in its definition file as JSON in which a few
// strings and objects mean something:
//
//   "$.customerId"                      the input's customerId, copied as it is (a number keeps its exact text,
//                                       an object or array is copied whole); "$.a.b" reaches into objects
//   {"$each": "$.items", "as": {...}}   an array with one element per element of the input's items, each built by
//                                       the template in "as", in which "$." is that element
//   "$now"                              the time the message is written (ISO 8601, UTC, milliseconds)
//   "$reason", "$event", "$status"      where the definition offers them (a cancelled outcome's reason; a progress
//                                       event's name and the status it implies); a field whose variable has no
//                                       value is left out
//   {"$literal": <any JSON>}            that JSON as it is, for a string that starts with "$"
//   anything else                       itself
//
// The engine writes messageId, the correlation field and (except in progress events) idempotencyKey first; a
// template may not name them. Compile checks every path against the input schema, so a template copies only what
// every valid input has.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/json_value.h"
#include "common/json_writer.h"
#include "orchestrator/definitions/input_schema.h"
#include "orchestrator/definitions/problems.h"

namespace sagaflow::definitions {

// Values of the variables a template may use ("now", "reason", ...); a missing one has no value.
using TemplateVariables = std::map<std::string, std::string, std::less<>>;

class PayloadTemplate {
 public:
  struct Node;

  // `node` (at `path`) must be an object. `variables` names those it may use besides "now"; `reserved` the field
  // names the engine writes.
  static std::optional<PayloadTemplate> Compile(const JsonValue& node, const std::string& path, const FieldRule& input,
                                                const std::set<std::string>& variables,
                                                const std::set<std::string>& reserved, Problems& problems);

  // Writes the template's fields into the object `out` has open.
  void AppendFields(JsonWriter& out, const JsonValue& input, const TemplateVariables& variables) const;

 private:
  std::shared_ptr<const Node> root_;
};

}  // namespace sagaflow::definitions

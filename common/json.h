// Reading JSON with simdjson's DOM API, with errors as Status values that name the offending field.
//
// ParseJson is strict: the text must be valid UTF-8 and exactly one JSON value (simdjson's DOM parser
// rejects trailing content). The returned element points into `parser`, so it is valid until the
// parser's next parse; use one parser per thread. The Get* helpers fail with InvalidArgument
// "<field> is missing" or "<field> must be a <type>".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "common/money.h"
#include "common/status.h"

namespace sagaflow {

Result<simdjson::dom::element> ParseJson(simdjson::dom::parser& parser, std::string_view text);

Result<std::string_view> GetString(simdjson::dom::object object, std::string_view field);
Result<int64_t> GetInt(simdjson::dom::object object, std::string_view field);
Result<bool> GetBool(simdjson::dom::object object, std::string_view field);
Result<simdjson::dom::array> GetArray(simdjson::dom::object object, std::string_view field);
Result<simdjson::dom::object> GetObject(simdjson::dom::object object, std::string_view field);
// A money amount written by one of our services (FormatMoney): the double must be exactly c / 100.
Result<Cents> GetMoney(simdjson::dom::object object, std::string_view field);
// The string field if present and a string, else `fallback`.
std::string_view GetStringOr(simdjson::dom::object object, std::string_view field, std::string_view fallback);

// Cents for a double that must equal some c / 100 exactly (as parsed from "29.99").
Result<Cents> CentsFromDouble(double value);

}  // namespace sagaflow

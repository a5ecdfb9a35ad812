// DecodeText: a message's decoder applied to its text, for a reader that holds the payload rather than a parsed
// object (tests, tools reading an outbox): DecodeText(row.payload, DecodePaymentProcessed). InvalidArgument if the
// text is not one JSON object, else what the decoder says. The decoded message owns its strings, so nothing points
// into the parser, which lives only for the call.
#pragma once

#include <string_view>

#include <simdjson.h>

#include "common/json.h"
#include "common/status.h"

namespace sagaflow::wire {

template <typename Decode>
auto DecodeText(std::string_view json, Decode decode) -> decltype(decode(simdjson::dom::object())) {
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, json);
  if (!root.ok()) return root.status();
  simdjson::dom::object object;
  if (root->get_object().get(object)) return Status::InvalidArgument("a message must be a JSON object");
  return decode(object);
}

}  // namespace sagaflow::wire

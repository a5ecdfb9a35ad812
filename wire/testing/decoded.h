// Decoded: for tests, a message decoded from its payload with its decoder, or, if it does not decode, an empty message
// and a failure of the running test that says why and shows the payload. Built only with the tests.
#pragma once

#include <string_view>
#include <type_traits>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "wire/decode_text.h"

namespace sagaflow::wire::testing {

template <typename Decode>
auto Decoded(std::string_view payload, Decode decode) -> std::decay_t<decltype(*decode(simdjson::dom::object()))> {
  auto decoded = DecodeText(payload, decode);
  EXPECT_TRUE(decoded.ok()) << decoded.status().ToString() << " in " << payload;
  if (!decoded.ok()) return {};
  return std::move(decoded).value();
}

}  // namespace sagaflow::wire::testing

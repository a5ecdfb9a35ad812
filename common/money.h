// Money as integer cents, parsed from and formatted to JSON numbers without floating point.
//
// "29.99" parses to 2999 exactly, so 29.99 x 2 is 5998 and prints as 59.98. Parsing takes the raw text
// of a JSON number (what the wire carries), never a double. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sagaflow {

using Cents = int64_t;

// Parses a JSON number token ("29.99", "30", "2.999e1", "0.5") into cents. Fails with InvalidArgument
// if the text is not a JSON number, is negative, has a non-zero digit past the second decimal, or is
// above kMaxParsableCents.
Result<Cents> ParseMoney(std::string_view json_number);

// 5998 -> "59.98", 5 -> "0.05", -120 -> "-1.20". Always two decimals, a valid JSON number.
std::string FormatMoney(Cents cents);

inline constexpr Cents kMaxParsableCents = 1'000'000'000'000'000;  // 10^15 cents: far above any limit we use

// The largest order total: 100,000,000,000.00. The order API refuses a larger total and the order saga
// dead-letters one, so an order the API accepts can always run its saga.
inline constexpr Cents kMaxOrderTotalCents = 10'000'000'000'000;

// InvalidArgument naming `field` if `cents` is above kMaxOrderTotalCents.
Status CheckOrderTotal(Cents cents, const std::string& field);

}  // namespace sagaflow

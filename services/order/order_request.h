// ParseOrderRequest: validates the body of POST /api/orders into an OrderRequest.
//
// Every rule is checked here, and the first violation is returned as InvalidArgument whose message
// names the field ("items[1].price has more than 2 decimals"). Prices are read from the raw JSON
// number text into integer cents, so no binary floating point touches money. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/money.h"
#include "common/status.h"

namespace sagaflow::order {

inline constexpr size_t kMaxCustomerIdChars = 64;
inline constexpr size_t kMaxProductIdChars = 64;
inline constexpr size_t kMinItems = 1;
inline constexpr size_t kMaxItems = 100;
inline constexpr int64_t kMinQuantity = 1;
inline constexpr int64_t kMaxQuantity = 1'000'000;
inline constexpr Cents kMaxPriceCents = 100'000'000;  // 1,000,000.00
inline constexpr size_t kMaxBodyBytes = 64 * 1024;

struct OrderItem {
  std::string product_id;
  int64_t quantity = 0;
  Cents price_cents = 0;
};

struct OrderRequest {
  std::string customer_id;
  std::vector<OrderItem> items;

  Cents TotalCents() const;
  // A canonical text of the request: two requests are "the same body" for Idempotency-Key iff equal.
  std::string Canonical() const;
};

Result<OrderRequest> ParseOrderRequest(std::string_view body);

// Number of Unicode code points in valid UTF-8 text.
size_t Utf8Length(std::string_view text);

}  // namespace sagaflow::order

// The inventory step's messages, between the orchestrator and the inventory service (the rules a participant follows
// are in docs/participants.md; the fields are here). Encode writes the bytes the inventory service publishes, and the
// order saga's definition writes for the commands: fields in this order. DecodeX fails with InvalidArgument naming the
// first field that is missing or of the wrong type ("items[1].quantity must be an integer"); a field marked optional
// may be absent (read as empty), since another writer (a participant in another language) may leave it out, and is
// written only when it has a value. What the values must be (positive quantities, at least one item) is the
// inventory service's rule, not the wire's. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/status.h"
#include "manifest/topics.h"

namespace sagaflow::wire {

struct ReserveLine {
  std::string product_id;
  int64_t quantity = 0;
};

// inventory/reserve: take every item from the stock, or none.
struct InventoryReserve {
  static constexpr std::string_view kTopic = topics::kInventoryReserve;
  std::string message_id;
  std::string order_id;
  std::string idempotency_key;  // <orderId>:inventory
  std::vector<ReserveLine> items;
};

// inventory/reserved: the reservation's outcome; a rejection says why.
struct InventoryReserved {
  static constexpr std::string_view kTopic = topics::kInventoryReserved;
  std::string message_id;
  std::string order_id;
  std::string idempotency_key;
  std::string reservation_id;  // optional
  bool success = false;
  std::string reason;       // optional: on a failure (unknown_product, out_of_stock, cancelled)
  std::string reserved_at;  // optional
};

// inventory/release: give the reserved stock back, or make sure that no reservation happens later.
struct InventoryRelease {
  static constexpr std::string_view kTopic = topics::kInventoryRelease;
  std::string message_id;
  std::string order_id;
  std::string idempotency_key;  // <orderId>:inventory:compensation
};

// inventory/released: the release is done (success is always true); status says what the reservation became.
struct InventoryReleased {
  static constexpr std::string_view kTopic = topics::kInventoryReleased;
  std::string message_id;
  std::string order_id;
  std::string idempotency_key;
  bool success = true;
  std::string status;       // optional: RELEASED, VOIDED (released before any reservation), or the unchanged REJECTED
  std::string released_at;  // optional
};

std::string Encode(const InventoryReserve& message);
std::string Encode(const InventoryReserved& message);
std::string Encode(const InventoryRelease& message);
std::string Encode(const InventoryReleased& message);

Result<InventoryReserve> DecodeInventoryReserve(simdjson::dom::object body);
Result<InventoryReserved> DecodeInventoryReserved(simdjson::dom::object body);
Result<InventoryRelease> DecodeInventoryRelease(simdjson::dom::object body);
Result<InventoryReleased> DecodeInventoryReleased(simdjson::dom::object body);

}  // namespace sagaflow::wire

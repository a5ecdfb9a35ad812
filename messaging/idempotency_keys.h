// Idempotency keys of saga commands: <correlationId>:<step> for a step's command and
// <correlationId>:<step>:compensation for its compensation, the same for every re-send.
//
// The orchestrator forms them; a participant accepts a command only under the key its step implies
// for that correlation id, so a message cannot charge, refund or release one order under a key that
// belongs to another action or another order.
#pragma once

#include <string>
#include <string_view>

namespace sagaflow::messaging {

// The order saga's steps, as they appear in its keys.
inline constexpr std::string_view kPaymentStep = "payment";
inline constexpr std::string_view kInventoryStep = "inventory";

inline std::string StepKey(std::string_view correlation_id, std::string_view step) {
  return std::string(correlation_id) + ":" + std::string(step);
}

inline std::string CompensationKey(std::string_view correlation_id, std::string_view step) {
  return StepKey(correlation_id, step) + ":compensation";
}

}  // namespace sagaflow::messaging

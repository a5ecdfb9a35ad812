// SagaInstance: the durable state of one running saga, as plain values (saved by SagaStore).
//
// Saga states: RUNNING -> COMPLETED, or RUNNING -> COMPENSATING -> CANCELLED, or COMPENSATING ->
// FAILED when a compensation could not be confirmed (an operator re-drives it). Step statuses:
// PENDING (not sent) -> RUNNING (sent, awaiting its reply) -> SUCCEEDED | FAILED; then, when the saga
// compensates, COMPENSATING -> COMPENSATED | COMPENSATION_FAILED. The outcome is a step too (kOutcomeStep),
// RUNNING until its acknowledgement arrives. A FAILED step that reports success late goes to COMPENSATING
// too, in any saga state. A rejected start's saga is CANCELLED at once, every step PENDING.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace sagaflow::engine {

enum class SagaState { kRunning, kCompensating, kCompleted, kCancelled, kFailed };
enum class StepStatus { kPending, kRunning, kSucceeded, kFailed, kCompensating, kCompensated, kCompensationFailed };

std::string_view ToString(SagaState state);
std::string_view ToString(StepStatus status);
bool ParseSagaState(std::string_view text, SagaState* state);
bool ParseStepStatus(std::string_view text, StepStatus* status);
bool IsFinished(SagaState state);  // COMPLETED or CANCELLED

inline constexpr std::string_view kOutcomeStep = "outcome";
inline constexpr std::string_view kTimeoutReason = "timeout";

struct StepState {
  std::string name;
  int stage = 0;  // -1 for the outcome step
  StepStatus status = StepStatus::kPending;
  int attempts = 0;                   // sends of the command (or of the outcome)
  int compensation_attempts = 0;      // sends of the compensation
  std::optional<TimePoint> deadline;  // when to act if no reply came
  std::optional<TimePoint> sent_at;   // first send of the current phase, for latency
  std::string failure_reason;
  std::string last_reply;  // a short record of the last reply seen, for operators
  // The outbox row of the last message sent for this step until it was seen published, and the wait
  // before its deadline: the manager's timer pass counts that wait from the publish, not the append.
  std::optional<int64_t> outbox_id;
  Millis wait{0};

  bool operator==(const StepState&) const = default;
};

struct SagaInstance {
  std::string saga_id;
  std::string correlation_id;
  std::string definition;      // its name
  int definition_version = 1;  // the version it began on, and finishes on
  std::string data;
  SagaState state = SagaState::kRunning;
  int stage = 0;               // the stage running, or being compensated
  std::string failure_reason;  // the first failure's reason
  TimePoint created_at{};
  TimePoint updated_at{};
  std::vector<StepState> steps;

  StepState* Step(std::string_view name);
  const StepState* Step(std::string_view name) const;
  std::optional<TimePoint> NextDeadline() const;
};

}  // namespace sagaflow::engine

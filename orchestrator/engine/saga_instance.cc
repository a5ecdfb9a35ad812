#include "orchestrator/engine/saga_instance.h"

#include <array>
#include <utility>

namespace sagaflow::engine {

namespace {

constexpr std::array<std::pair<SagaState, std::string_view>, 5> kSagaStates{{
    {SagaState::kRunning, "RUNNING"},
    {SagaState::kCompensating, "COMPENSATING"},
    {SagaState::kCompleted, "COMPLETED"},
    {SagaState::kCancelled, "CANCELLED"},
    {SagaState::kFailed, "FAILED"},
}};

constexpr std::array<std::pair<StepStatus, std::string_view>, 7> kStepStatuses{{
    {StepStatus::kPending, "PENDING"},
    {StepStatus::kRunning, "RUNNING"},
    {StepStatus::kSucceeded, "SUCCEEDED"},
    {StepStatus::kFailed, "FAILED"},
    {StepStatus::kCompensating, "COMPENSATING"},
    {StepStatus::kCompensated, "COMPENSATED"},
    {StepStatus::kCompensationFailed, "COMPENSATION_FAILED"},
}};

}  // namespace

std::string_view ToString(SagaState state) {
  for (const auto& [value, name] : kSagaStates) {
    if (value == state) return name;
  }
  return "?";
}

std::string_view ToString(StepStatus status) {
  for (const auto& [value, name] : kStepStatuses) {
    if (value == status) return name;
  }
  return "?";
}

bool ParseSagaState(std::string_view text, SagaState* state) {
  for (const auto& [value, name] : kSagaStates) {
    if (name == text) {
      *state = value;
      return true;
    }
  }
  return false;
}

bool ParseStepStatus(std::string_view text, StepStatus* status) {
  for (const auto& [value, name] : kStepStatuses) {
    if (name == text) {
      *status = value;
      return true;
    }
  }
  return false;
}

bool IsFinished(SagaState state) {
  return state == SagaState::kCompleted || state == SagaState::kCancelled;
}

StepState* SagaInstance::Step(std::string_view name) {
  for (auto& step : steps) {
    if (step.name == name) return &step;
  }
  return nullptr;
}

const StepState* SagaInstance::Step(std::string_view name) const {
  for (const auto& step : steps) {
    if (step.name == name) return &step;
  }
  return nullptr;
}

std::optional<TimePoint> SagaInstance::NextDeadline() const {
  std::optional<TimePoint> next;
  for (const auto& step : steps) {
    if (step.deadline && (!next || *step.deadline < *next)) next = step.deadline;
  }
  return next;
}

}  // namespace sagaflow::engine

#include "orchestrator/engine/saga_engine.h"

#include <algorithm>

#include "messaging/idempotency_keys.h"

namespace sagaflow::engine {

namespace {

bool MayHaveActed(const StepState& step) {
  return step.status == StepStatus::kRunning || step.status == StepStatus::kSucceeded ||
         (step.status == StepStatus::kFailed && step.failure_reason == kTimeoutReason);
}

Action Progress(std::string step, std::string event, std::string reason = "") {
  return Action{ActionKind::kProgress, std::move(step), "", 0, ProgressEvent{std::move(event), std::move(reason)}};
}

}  // namespace

std::vector<std::string> ProgressEventNames(const SagaDefinition& definition) {
  std::vector<std::string> names{"saga_started", "start_rejected", "compensating", "failed"};
  for (const auto& stage : definition.stages) {
    for (const auto& step : stage.steps) {
      for (const char* suffix : {"_succeeded", "_failed", "_compensated", "_succeeded_late", "_compensation_failed"}) {
        names.push_back(step.name + suffix);
      }
    }
  }
  return names;
}

Millis WaitAfterSend(Millis timeout, const RetryPolicy& policy, int attempt, double random_unit) {
  const BackoffPolicy backoff{timeout, policy.multiplier, std::max(policy.cap, timeout), policy.jitter};
  // The first wait is the plain timeout; later ones grow and are spread by jitter.
  return BackoffDelay(backoff, attempt, attempt <= 1 ? 0.0 : random_unit);
}

std::string SagaEngine::CommandKey(const SagaInstance& saga, const std::string& step) {
  return messaging::StepKey(saga.correlation_id, step);
}

std::string SagaEngine::CompensationKey(const SagaInstance& saga, const std::string& step) {
  return messaging::CompensationKey(saga.correlation_id, step);
}

std::string SagaEngine::OutcomeKey(const SagaInstance& saga) {
  return messaging::StepKey(saga.correlation_id, kOutcomeStep);
}

SagaInstance SagaEngine::Create(std::string saga_id, std::string correlation_id, std::string data,
                                TimePoint now) const {
  SagaInstance saga;
  saga.saga_id = std::move(saga_id);
  saga.correlation_id = std::move(correlation_id);
  saga.definition = definition_.name;
  saga.definition_version = definition_.version;
  saga.data = std::move(data);
  saga.created_at = now;
  saga.updated_at = now;
  for (size_t stage = 0; stage < definition_.stages.size(); ++stage) {
    for (const auto& step : definition_.stages[stage].steps) {
      StepState state;
      state.name = step.name;
      state.stage = static_cast<int>(stage);
      saga.steps.push_back(std::move(state));
    }
  }
  StepState outcome;
  outcome.name = std::string(kOutcomeStep);
  outcome.stage = -1;
  saga.steps.push_back(std::move(outcome));
  return saga;
}

std::vector<Action> SagaEngine::Start(SagaInstance& saga, TimePoint now) const {
  std::vector<Action> actions;
  const bool fresh = std::all_of(saga.steps.begin(), saga.steps.end(),
                                 [](const StepState& s) { return s.status == StepStatus::kPending; });
  if (saga.state != SagaState::kRunning || !fresh) return actions;
  actions.push_back(Progress("", "saga_started"));
  StartStage(saga, 0, now, actions);
  saga.updated_at = now;
  return actions;
}

std::vector<Action> SagaEngine::Reject(SagaInstance& saga, TimePoint now) const {
  std::vector<Action> actions;
  const bool fresh = std::all_of(saga.steps.begin(), saga.steps.end(),
                                 [](const StepState& s) { return s.status == StepStatus::kPending; });
  if (saga.state != SagaState::kRunning || !fresh) return actions;
  saga.failure_reason = definition_.rejected_start_reason.empty() ? "rejected" : definition_.rejected_start_reason;
  actions.push_back(Progress("", "start_rejected", saga.failure_reason));
  Finish(saga, SagaState::kCancelled, now, actions);
  return actions;
}

void SagaEngine::StartStage(SagaInstance& saga, int stage, TimePoint now, std::vector<Action>& actions) const {
  saga.stage = stage;
  for (const auto& definition : definition_.stages[static_cast<size_t>(stage)].steps) {
    StepState& step = *saga.Step(definition.name);
    step.status = StepStatus::kRunning;
    step.attempts = 1;
    step.sent_at = now;
    step.deadline = now + WaitAfterSend(definition.timeout, definition.retry, 1, 0);
    actions.push_back({ActionKind::kSendCommand, step.name, CommandKey(saga, step.name), 1, {}});
  }
}

std::vector<Action> SagaEngine::OnReply(SagaInstance& saga, const Reply& reply, TimePoint now,
                                        double /*random_unit*/) const {
  std::vector<Action> actions;
  StepState* step = saga.Step(reply.step);
  if (step == nullptr) return actions;
  const std::string verdict = reply.success ? "success" : "failure: " + reply.reason;
  if (reply.step == kOutcomeStep) {
    if (reply.idempotency_key != OutcomeKey(saga) || step->status != StepStatus::kRunning) return actions;
    step->status = StepStatus::kSucceeded;
    step->deadline.reset();
    step->last_reply = "acknowledged";
    saga.updated_at = now;
  } else if (reply.compensation) {
    OnCompensationReply(saga, *step, reply, verdict, now, actions);
  } else {
    OnCommandReply(saga, *step, reply, verdict, now, actions);
  }
  return actions;
}

void SagaEngine::OnCommandReply(SagaInstance& saga, StepState& step, const Reply& reply, const std::string& verdict,
                                TimePoint now, std::vector<Action>& actions) const {
  if (reply.idempotency_key != CommandKey(saga, step.name)) {
    step.last_reply = "ignored (key " + reply.idempotency_key + "): " + verdict;
    return;
  }
  if (step.status == StepStatus::kFailed && reply.success) {
    // Participants answer every repeat of a key alike, so this is no repeat of the failure: the command
    // was carried out after all (a participant's bug, or a forgery), and nothing else would undo it.
    CompensateLateSuccess(saga, step, now, actions);
    return;
  }
  if (step.status != StepStatus::kRunning || saga.state != SagaState::kRunning) {
    // Late or duplicate: a step being compensated is compensated whatever it replies now, and one already
    // compensated was undone, or its participant refuses the command for good (a tombstone).
    step.last_reply = "late: " + verdict;
    return;
  }
  step.last_reply = verdict;
  step.deadline.reset();
  saga.updated_at = now;
  if (!reply.success) {
    step.status = StepStatus::kFailed;
    step.failure_reason = reply.reason.empty() ? "failed" : reply.reason;
    actions.push_back(Progress(step.name, step.name + "_failed", step.failure_reason));
    BeginCompensation(saga, step.failure_reason, now, actions);
    return;
  }
  step.status = StepStatus::kSucceeded;
  actions.push_back(Progress(step.name, step.name + "_succeeded"));
  const auto& stage_steps = definition_.stages[static_cast<size_t>(saga.stage)].steps;
  const bool stage_done = std::all_of(stage_steps.begin(), stage_steps.end(), [&](const StepDefinition& d) {
    return saga.Step(d.name)->status == StepStatus::kSucceeded;
  });
  if (!stage_done) return;
  if (static_cast<size_t>(saga.stage) + 1 < definition_.stages.size()) {
    StartStage(saga, saga.stage + 1, now, actions);
  } else {
    Finish(saga, SagaState::kCompleted, now, actions);
  }
}

void SagaEngine::OnCompensationReply(SagaInstance& saga, StepState& step, const Reply& reply,
                                     const std::string& verdict, TimePoint now, std::vector<Action>& actions) const {
  if (reply.idempotency_key != CompensationKey(saga, step.name)) {
    step.last_reply = "ignored compensation reply (key " + reply.idempotency_key + ")";
    return;
  }
  if (step.status == StepStatus::kCompensationFailed && reply.success) {
    // The confirmation came after we gave up: the compensation did happen, so the saga may still end.
    step.status = StepStatus::kCompensated;
    step.last_reply = "late compensation " + verdict;
    saga.updated_at = now;
    actions.push_back(Progress(step.name, step.name + "_compensated"));
    const bool none_failed = std::none_of(saga.steps.begin(), saga.steps.end(), [](const StepState& s) {
      return s.status == StepStatus::kCompensationFailed;
    });
    if (saga.state == SagaState::kFailed && none_failed) {
      saga.state = SagaState::kCompensating;
      actions.push_back(Progress("", "compensating"));
      for (auto& other : saga.steps) {  // FAILED cleared their timers: drive them again
        if (other.status == StepStatus::kCompensating && !other.deadline) SendCompensation(saga, other, now, actions);
      }
      ContinueCompensation(saga, now, actions);
    }
    return;
  }
  if (step.status != StepStatus::kCompensating) {
    step.last_reply = "late compensation reply: " + verdict;
    return;
  }
  step.last_reply = "compensation " + verdict;
  if (!reply.success) return;  // retried when its deadline passes
  step.status = StepStatus::kCompensated;
  step.deadline.reset();
  saga.updated_at = now;
  actions.push_back(Progress(step.name, step.name + "_compensated"));
  if (saga.state == SagaState::kCompensating) ContinueCompensation(saga, now, actions);
}

void SagaEngine::BeginCompensation(SagaInstance& saga, const std::string& reason, TimePoint now,
                                   std::vector<Action>& actions) const {
  saga.state = SagaState::kCompensating;
  if (saga.failure_reason.empty()) saga.failure_reason = reason;
  actions.push_back(Progress("", "compensating"));
  ContinueCompensation(saga, now, actions);
}

void SagaEngine::SendCompensation(SagaInstance& saga, StepState& step, TimePoint now,
                                  std::vector<Action>& actions) const {
  const StepDefinition& definition = *definition_.FindStep(step.name);
  step.status = StepStatus::kCompensating;
  step.compensation_attempts = 1;
  step.sent_at = now;
  step.deadline = now + WaitAfterSend(definition.timeout, definition.compensation_retry, 1, 0);
  actions.push_back({ActionKind::kSendCompensation, step.name, CompensationKey(saga, step.name), 1, {}});
}

void SagaEngine::CompensateLateSuccess(SagaInstance& saga, StepState& step, TimePoint now,
                                       std::vector<Action>& actions) const {
  if (definition_.FindStep(step.name)->compensation_topic.empty()) {
    step.last_reply = "late: success";  // nothing to undo: reported, not repaired
    return;
  }
  step.last_reply = "late: success after " + step.failure_reason + ": compensating";
  saga.updated_at = now;
  actions.push_back(Progress(step.name, step.name + "_succeeded_late"));
  SendCompensation(saga, step, now, actions);
}

void SagaEngine::ContinueCompensation(SagaInstance& saga, TimePoint now, std::vector<Action>& actions) const {
  for (int stage = saga.stage; stage >= 0; --stage) {
    saga.stage = stage;
    bool in_flight = false;
    for (const auto& definition : definition_.stages[static_cast<size_t>(stage)].steps) {
      StepState& step = *saga.Step(definition.name);
      if (MayHaveActed(step)) {
        step.deadline.reset();
        if (definition.compensation_topic.empty()) {
          step.status = StepStatus::kCompensated;  // nothing to undo
        } else {
          SendCompensation(saga, step, now, actions);
          in_flight = true;
        }
      } else if (step.status == StepStatus::kCompensating || step.status == StepStatus::kCompensationFailed) {
        in_flight = true;
      }
    }
    if (in_flight) return;
  }
  // A late success's compensation may belong to a stage already passed; the outcome waits for it too.
  const bool late_in_flight = std::any_of(saga.steps.begin(), saga.steps.end(), [](const StepState& s) {
    return s.status == StepStatus::kCompensating || s.status == StepStatus::kCompensationFailed;
  });
  if (late_in_flight) return;
  Finish(saga, SagaState::kCancelled, now, actions);
}

void SagaEngine::Finish(SagaInstance& saga, SagaState state, TimePoint now, std::vector<Action>& actions) const {
  saga.state = state;
  saga.updated_at = now;
  StepState& outcome = *saga.Step(kOutcomeStep);
  outcome.status = StepStatus::kRunning;
  outcome.attempts = 1;
  outcome.sent_at = now;
  outcome.deadline = now + WaitAfterSend(definition_.outcome.timeout, definition_.outcome.retry, 1, 0);
  actions.push_back({ActionKind::kSendOutcome, std::string(kOutcomeStep), OutcomeKey(saga), 1, {}});
}

std::vector<Action> SagaEngine::OnTimers(SagaInstance& saga, TimePoint now, double random_unit) const {
  std::vector<Action> actions;
  std::vector<std::string> due;
  for (const auto& step : saga.steps) {
    if (step.deadline && *step.deadline <= now) due.push_back(step.name);
  }
  for (const auto& name : due) {
    StepState& step = *saga.Step(name);
    if (!step.deadline || *step.deadline > now) continue;  // changed by an earlier step in this pass
    saga.updated_at = now;
    if (name == kOutcomeStep) {
      if (step.status != StepStatus::kRunning) {
        step.deadline.reset();
        continue;
      }
      ++step.attempts;
      step.deadline =
          now + WaitAfterSend(definition_.outcome.timeout, definition_.outcome.retry, step.attempts, random_unit);
      actions.push_back({ActionKind::kSendOutcome, name, OutcomeKey(saga), step.attempts, {}});
      continue;
    }
    const StepDefinition& definition = *definition_.FindStep(name);
    if (step.status == StepStatus::kRunning) {
      if (step.attempts < definition.retry.max_attempts) {
        ++step.attempts;
        step.deadline = now + WaitAfterSend(definition.timeout, definition.retry, step.attempts, random_unit);
        actions.push_back({ActionKind::kSendCommand, name, CommandKey(saga, name), step.attempts, {}});
      } else {
        step.status = StepStatus::kFailed;
        step.failure_reason = std::string(kTimeoutReason);
        step.deadline.reset();
        actions.push_back(Progress(name, name + "_failed", std::string(kTimeoutReason)));
        if (saga.state == SagaState::kRunning) BeginCompensation(saga, std::string(kTimeoutReason), now, actions);
      }
    } else if (step.status == StepStatus::kCompensating) {
      // A finished saga's outcome is published and stays: a late success's compensation there has no FAILED
      // to fall back on, so it is sent until confirmed, at the capped wait.
      if (step.compensation_attempts < definition.compensation_retry.max_attempts || IsFinished(saga.state)) {
        ++step.compensation_attempts;
        step.deadline = now + WaitAfterSend(definition.timeout, definition.compensation_retry,
                                            step.compensation_attempts, random_unit);
        actions.push_back(
            {ActionKind::kSendCompensation, name, CompensationKey(saga, name), step.compensation_attempts, {}});
      } else {
        step.status = StepStatus::kCompensationFailed;
        step.deadline.reset();
        actions.push_back(Progress(name, name + "_compensation_failed"));
        if (saga.state == SagaState::kFailed) continue;  // a late success's compensation of a FAILED saga
        saga.state = SagaState::kFailed;
        for (auto& other : saga.steps) other.deadline.reset();  // nothing moves until an operator acts
        actions.push_back(Progress("", "failed"));
        return actions;
      }
    } else {
      step.deadline.reset();
    }
  }
  return actions;
}

std::vector<Action> SagaEngine::OnRepeatedStart(SagaInstance& saga, TimePoint now) const {
  std::vector<Action> actions;
  if (IsFinished(saga.state)) {
    StepState& outcome = *saga.Step(kOutcomeStep);
    actions.push_back({ActionKind::kSendOutcome, outcome.name, OutcomeKey(saga), outcome.attempts + 1, {}});
    if (outcome.status == StepStatus::kRunning) ++outcome.attempts;
    saga.updated_at = now;
  } else if (saga.state == SagaState::kFailed) {
    actions.push_back(Progress("", "failed"));
  }
  return actions;
}

std::vector<Action> SagaEngine::Redrive(SagaInstance& saga, TimePoint now) const {
  std::vector<Action> actions;
  saga.updated_at = now;
  if (saga.state == SagaState::kFailed) {
    saga.state = SagaState::kCompensating;
    actions.push_back(Progress("", "compensating"));
    for (auto& step : saga.steps) {
      if (step.status == StepStatus::kCompensationFailed || step.status == StepStatus::kCompensating) {
        SendCompensation(saga, step, now, actions);
      }
    }
    ContinueCompensation(saga, now, actions);
    return actions;
  }
  for (auto& step : saga.steps) {
    if (step.status == StepStatus::kRunning && step.name == kOutcomeStep) {
      step.deadline = now + definition_.outcome.timeout;
      actions.push_back({ActionKind::kSendOutcome, step.name, OutcomeKey(saga), ++step.attempts, {}});
    } else if (step.status == StepStatus::kRunning) {
      step.deadline = now + definition_.FindStep(step.name)->timeout;
      actions.push_back({ActionKind::kSendCommand, step.name, CommandKey(saga, step.name), step.attempts, {}});
    } else if (step.status == StepStatus::kCompensating) {
      step.deadline = now + definition_.FindStep(step.name)->timeout;
      actions.push_back(
          {ActionKind::kSendCompensation, step.name, CompensationKey(saga, step.name), step.compensation_attempts, {}});
    }
  }
  return actions;
}

}  // namespace sagaflow::engine

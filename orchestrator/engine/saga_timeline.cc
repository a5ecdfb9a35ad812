#include "orchestrator/engine/saga_timeline.h"

#include <utility>

#include "common/time_format.h"
#include "storage/dead_letters.h"

namespace sagaflow::engine {

namespace {

// What a step waited for when its deadline passed.
std::string Awaited(const StepState& step) {
  if (step.name == kOutcomeStep) return "no acknowledgement of the outcome";
  if (step.status == StepStatus::kCompensating) return "no confirmation of the compensation";
  return "no reply to the command";
}

// What the engine made of a step's time-out.
std::string Consequence(const StepState& due, const StepState& after) {
  if (due.status == StepStatus::kCompensating) {
    if (after.compensation_attempts > due.compensation_attempts) return "sent again";
    if (after.status == StepStatus::kCompensationFailed) return "out of attempts: the compensation failed";
  } else {
    if (after.attempts > due.attempts) return "sent again";
    // Its compensation, if any, is sent in the same pass and recorded after it.
    if (after.failure_reason == kTimeoutReason) return "out of attempts: the step failed (timeout)";
  }
  return "nothing sent";  // the saga went to FAILED in this pass: nothing moves until an operator acts
}

// The kind of a reply that changed something.
EventKind AppliedKind(const StepState& before, const StepState& after, const Reply& reply) {
  if (reply.step == kOutcomeStep) return EventKind::kOutcomeAcknowledged;
  if (reply.compensation) return EventKind::kCompensationConfirmed;
  if (before.status == StepStatus::kFailed && after.status == StepStatus::kCompensating) {
    return EventKind::kLateCompensation;
  }
  return EventKind::kReplyApplied;
}

// Why a reply changed nothing. The engine notes it in last_reply, except for the outcome's acknowledgement.
std::string IgnoredBecause(const SagaInstance& after, const StepState& step, const Reply& reply) {
  if (reply.step != kOutcomeStep) return step.last_reply;
  if (reply.idempotency_key != SagaEngine::OutcomeKey(after)) return "ignored (key " + reply.idempotency_key + ")";
  return "not awaited: the outcome is " + std::string(ToString(step.status));
}

}  // namespace

Timeline::Timeline(std::string saga_id, TimePoint now) : saga_id_(std::move(saga_id)), at_(FormatIso8601(now)) {}

SagaEvent Timeline::Make(EventKind kind, std::string step, std::optional<int> attempt, std::string topic,
                         std::string payload, std::string detail) const {
  return SagaEvent{saga_id_,         0, at_, kind, std::move(step), attempt, std::move(topic), std::move(payload),
                   std::move(detail)};
}

void Timeline::Cause(EventKind kind, std::string step, std::string topic, std::string payload, std::string detail) {
  causes_.push_back(Make(kind, std::move(step), std::nullopt, std::move(topic), std::move(payload), std::move(detail)));
}

void Timeline::Repeat(storage::Sql& sql, EventKind kind, std::string step, std::string topic, std::string_view payload,
                      std::string detail) {
  const int64_t recorded = store::CountEvents(sql, saga_id_, kind, step);
  if (recorded >= kRepeatsRecorded) {
    muted_ = true;
    return;
  }
  if (recorded + 1 == kRepeatsRecorded) {
    detail += " (the last " + std::string(ToString(kind)) + " recorded for " + (step.empty() ? "the saga" : step) +
              "; later ones are not)";
  }
  Cause(kind, std::move(step), std::move(topic), storage::DeadLetterCopy(payload), std::move(detail));
}

void Timeline::Replied(storage::Sql& sql, const SagaInstance& before, const SagaInstance& after, const Reply& reply,
                       std::string topic, std::string payload, bool acted) {
  const StepState* was = before.Step(reply.step);
  const StepState* is = after.Step(reply.step);
  if (was == nullptr || is == nullptr) return;
  const bool changed = acted || before.state != after.state || was->status != is->status;
  if (!changed) {
    Repeat(sql, EventKind::kReplyIgnored, reply.step, std::move(topic), payload, IgnoredBecause(after, *is, reply));
    return;
  }
  Cause(AppliedKind(*was, *is, reply), reply.step, std::move(topic), std::move(payload), is->last_reply);
}

void Timeline::TimedOut(const SagaInstance& due, const SagaInstance& after, TimePoint now) {
  for (const StepState& step : due.steps) {
    const bool awaiting = step.status == StepStatus::kRunning || step.status == StepStatus::kCompensating;
    if (!awaiting || !step.deadline || *step.deadline > now) continue;
    const StepState* then = after.Step(step.name);
    const int attempt = step.status == StepStatus::kCompensating ? step.compensation_attempts : step.attempts;
    SagaEvent event = Make(EventKind::kTimeout, step.name, attempt, "", "", Awaited(step));
    if (then != nullptr) event.detail += ": " + Consequence(step, *then);
    causes_.push_back(std::move(event));
  }
}

void Timeline::StateChanged(SagaState before, const SagaInstance& after) {
  std::string detail = std::string(ToString(before)) + " -> " + std::string(ToString(after.state));
  if (after.state == SagaState::kFailed) {
    detail += ": a compensation was never confirmed";
  } else if (!after.failure_reason.empty() && after.state != SagaState::kCompleted) {
    detail += ": " + after.failure_reason;
  }
  state_.push_back(Make(EventKind::kStateChanged, "", std::nullopt, "", "", std::move(detail)));
}

void Timeline::Sent(EventKind kind, std::string step, int attempt, std::string topic, std::string payload) {
  sent_.push_back(Make(kind, std::move(step), attempt, std::move(topic), std::move(payload), ""));
}

void Timeline::Flush(storage::UnitOfWork& uow) {
  if (muted_ || (causes_.empty() && state_.empty() && sent_.empty())) return;
  // The next seq is read, not kept in the sagas row: the saga's last event sits on the leaf page this append
  // writes anyway, so the read costs no page written, while a counter in sagas would rewrite that row (and its
  // page) for a reply that changes nothing else. A timeline deleted by retention begins again at 1.
  int64_t seq = store::LastEventSeq(uow, saga_id_);
  for (std::vector<SagaEvent>* events : {&causes_, &state_, &sent_}) {
    for (SagaEvent& event : *events) {
      event.seq = ++seq;
      store::AppendEvent(uow, event);
    }
  }
}

}  // namespace sagaflow::engine

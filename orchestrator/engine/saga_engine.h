// SagaEngine: the pure decisions of a saga — start, a reply arrived, timers fired, an operator
// re-drives it — as functions of (instance, event, now, a random unit for jitter) that update the
// instance and return the actions to take. No I/O: SagaManager loads, calls, saves and sends.
//
// Rules: a reply is applied only if its step is waiting for exactly that idempotency key; any other
// reply is recorded (last_reply) and changes nothing. A command without a reply by its deadline is sent
// again with the same key, with growing waits, up to its attempts; then the step fails with reason
// "timeout". When a step fails, every step that was started (a timed-out one may still have acted) is
// compensated, stage by stage in reverse order; compensations are retried, and when one never confirms
// the saga goes to FAILED for an operator. The first failure's reason is the saga's reason. A finished
// saga publishes its outcome until the outcome is acknowledged.
//
// One exception: a success under the command's key for a step recorded FAILED means the participant
// acted after all, so that step's compensation is sent at once, whatever the saga's state, and retried
// like any other. The saga does not end CANCELLED while it is in flight; after CANCELLED it is sent until
// confirmed (it cannot change an outcome already published). A start whose input the definition rejects
// creates a saga that ends CANCELLED at once with the definition's rejected_start_reason, having sent
// nothing but its outcome.
#pragma once

#include <string>
#include <vector>

#include "orchestrator/engine/saga_definition.h"
#include "orchestrator/engine/saga_instance.h"

namespace sagaflow::engine {

enum class ActionKind { kSendCommand, kSendCompensation, kSendOutcome, kProgress };

struct Action {
  ActionKind kind;
  std::string step;             // the step (empty for progress of the whole saga)
  std::string idempotency_key;  // commands, compensations and the outcome
  int attempt = 0;
  ProgressEvent progress;  // kProgress only

  bool operator==(const Action&) const = default;
};

struct Reply {
  std::string step;           // a step name, or kOutcomeStep for the outcome's acknowledgement
  bool compensation = false;  // a reply to the step's compensation
  std::string idempotency_key;
  bool success = false;
  std::string reason;
};

class SagaEngine {
 public:
  explicit SagaEngine(const SagaDefinition& definition) : definition_(definition) {}

  SagaInstance Create(std::string saga_id, std::string correlation_id, std::string data, TimePoint now) const;
  std::vector<Action> Start(SagaInstance& saga, TimePoint now) const;
  // The start's input was rejected: a fresh saga ends CANCELLED with the definition's rejected_start_reason
  // and publishes its outcome; no step is sent. Does nothing to a saga that has begun.
  std::vector<Action> Reject(SagaInstance& saga, TimePoint now) const;
  std::vector<Action> OnReply(SagaInstance& saga, const Reply& reply, TimePoint now, double random_unit) const;
  // Acts on every step whose deadline is at or before `now`.
  std::vector<Action> OnTimers(SagaInstance& saga, TimePoint now, double random_unit) const;
  // The start message arrived again: a finished saga publishes its outcome again; a running one does nothing.
  std::vector<Action> OnRepeatedStart(SagaInstance& saga, TimePoint now) const;
  // An operator's retry: a FAILED saga compensates again; a waiting step is sent again now.
  std::vector<Action> Redrive(SagaInstance& saga, TimePoint now) const;

  static std::string CommandKey(const SagaInstance& saga, const std::string& step);
  static std::string CompensationKey(const SagaInstance& saga, const std::string& step);
  static std::string OutcomeKey(const SagaInstance& saga);

  const SagaDefinition& definition() const { return definition_; }

 private:
  void StartStage(SagaInstance& saga, int stage, TimePoint now, std::vector<Action>& actions) const;
  void OnCommandReply(SagaInstance& saga, StepState& step, const Reply& reply, const std::string& verdict,
                      TimePoint now, std::vector<Action>& actions) const;
  void OnCompensationReply(SagaInstance& saga, StepState& step, const Reply& reply, const std::string& verdict,
                           TimePoint now, std::vector<Action>& actions) const;
  void BeginCompensation(SagaInstance& saga, const std::string& reason, TimePoint now,
                         std::vector<Action>& actions) const;
  void ContinueCompensation(SagaInstance& saga, TimePoint now, std::vector<Action>& actions) const;
  void Finish(SagaInstance& saga, SagaState state, TimePoint now, std::vector<Action>& actions) const;
  void SendCompensation(SagaInstance& saga, StepState& step, TimePoint now, std::vector<Action>& actions) const;
  // A success for a step recorded FAILED: it acted after all, so it is undone if it can be.
  void CompensateLateSuccess(SagaInstance& saga, StepState& step, TimePoint now, std::vector<Action>& actions) const;

  const SagaDefinition& definition_;
};

// Every progress event the engine can report for `definition`: saga_started, start_rejected, compensating, failed,
// and for each step <step>_succeeded, _failed, _compensated, _succeeded_late and _compensation_failed. What, if
// anything, observers see of each is the definition's to say (build_progress).
std::vector<std::string> ProgressEventNames(const SagaDefinition& definition);

// How long to wait for a reply after send number `attempt` (1-based): the timeout, then growing.
Millis WaitAfterSend(Millis timeout, const RetryPolicy& policy, int attempt, double random_unit);

}  // namespace sagaflow::engine

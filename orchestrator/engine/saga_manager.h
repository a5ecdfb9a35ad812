// SagaManager: the one place where sagas meet I/O. For each start message, reply, timer or operator
// retry it runs, in one SQLite transaction: (the Consumer's inbox claim), load the instance, let the
// SagaEngine of the definition version it began on decide, save sagas/saga_steps, append the resulting
// messages to the outbox, and record what happened on the saga's timeline (saga_events, through a Timeline:
// what came in, the state's change, what went out). It runs every definition of its registry; a saga is named by
// (definition, correlation id).
//
// Message handlers run inside the Consumer's transaction (on the bus thread); FireDueTimers and
// Redrive open their own. Thread-safe through storage::Database.
#pragma once

#include <string>

#include "common/clock.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/random.h"
#include "messaging/consumer.h"
#include "orchestrator/engine/saga_engine.h"
#include "orchestrator/engine/saga_registry.h"
#include "orchestrator/engine/saga_timeline.h"
#include "storage/database.h"
#include "storage/outbox.h"

namespace sagaflow::engine {

class SagaManager {
 public:
  SagaManager(const SagaRegistry& registry, storage::Database& db, storage::Outbox& outbox, const Clock& clock,
              RandomSource& random, Logger logger, Metrics& metrics);

  // Subscribes every topic of the registry's routes, each read with its definition's correlation field.
  Status Register(messaging::Consumer& consumer);

  // FailedPrecondition if a saga the engine may still act on began on a definition version the registry does not
  // hold, or with other steps or stages than that version has (a database older than stored versions, whose file
  // was changed under it): the engine would look for steps that are not there. Run before anything is consumed.
  Status CheckActiveSagas();

  // A start of the named definition's saga. One whose input the definition rejects is dead-lettered
  // (InvalidArgument), or, if the definition names a rejected_start_reason, recorded as a saga CANCELLED with it
  // and answered with its outcome.
  Status OnStart(storage::UnitOfWork& uow, const std::string& name, const messaging::Envelope& message);
  // A reply or acknowledgement for a saga of the named definition.
  Status OnReply(storage::UnitOfWork& uow, const std::string& name, const messaging::Envelope& message);
  // Acts on every saga with a due step deadline; returns for how many the engine acted. A deadline
  // whose message still waits in our own outbox (a relay backlog) is moved instead: the wait counts
  // from the publish, so an overloaded relay does not cause a storm of re-sends.
  Result<size_t> FireDueTimers();
  Result<std::optional<TimePoint>> EarliestDeadline();
  // An operator's retry for the saga of this saga id, or of this correlation id in `definition` (which may be
  // left empty while only one definition has a saga with that id). NotFound if there is none; InvalidArgument if
  // the correlation id names sagas of several definitions and none is given.
  Result<std::string> Redrive(const std::string& id, const std::string& definition = "");

 private:
  // The reply as the engine takes it; `replying_step` is the step whose command or compensation it answers
  // (nullptr for the outcome's acknowledgement). InvalidArgument for a message no step of the saga answers with.
  static Result<Reply> ReadReply(const SagaDefinition& definition, const messaging::Envelope& message,
                                 const std::string& key, const StepDefinition** replying_step);
  // FailedPrecondition if a saga begun on this version has other steps than it.
  Status CheckSteps(const SagaRegistry::Entry& entry);
  // The version `saga` began on; nullptr (logged) if the registry lacks it, which CheckActiveSagas rules out.
  const SagaRegistry::Entry* EntryOf(const SagaInstance& saga) const;
  // Logs and counts what the engine made of a reply: a late or contradicting one, an ignored one, a step's latency.
  void RecordReply(const SagaDefinition& definition, const SagaInstance& saga, const std::string& topic,
                   const Reply& reply, StepStatus status_before, bool was_sent, TimePoint sent_at, TimePoint now);
  // Sends what the engine decided and records it, with the state's change, on `timeline`.
  void Apply(storage::UnitOfWork& uow, const SagaDefinition& definition, SagaInstance& saga, SagaState before,
             const std::vector<Action>& actions, TimePoint now, Timeline& timeline);
  // Logs, counts and records on `timeline` the saga's move from `before` to its state.
  void StateChanged(const std::string& who, const SagaInstance& saga, SagaState before, Timeline& timeline);
  // Remembers the outbox row of a message just sent for a step, and the wait the engine gave it.
  static void Track(SagaInstance& saga, const std::string& step_name, int64_t outbox_row, TimePoint now);
  // Moves the due deadlines of steps whose message was queued in the outbox; true if any stays due.
  static bool DeferWhileQueued(storage::Sql& sql, SagaInstance& saga, TimePoint now);

  const SagaRegistry& registry_;
  storage::Database& db_;
  storage::Outbox& outbox_;
  const Clock& clock_;
  RandomSource& random_;
  Logger logger_;
  Metrics& metrics_;
};

}  // namespace sagaflow::engine

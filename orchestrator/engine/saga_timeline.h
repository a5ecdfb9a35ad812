// Timeline: what one decision of the SagaManager adds to its saga's timeline (saga_events.h). The manager tells it
// what the decision was about (the cause: a start, a reply, time-outs, an operator's retry), how the saga's state
// moved and what was sent; Flush appends them in that order, numbered after the saga's last event, in the
// decision's own transaction: the timeline is durable exactly when the decision is, with no commit or fsync of its
// own. Flush runs after the saga's rows are saved (the events reference them). The engine knows nothing of it.
//
// Bounded. Decisions are always recorded: what the engine sends is bounded by its attempts, and what it sends
// without limit (an unacknowledged outcome, a late success's compensation after CANCELLED) comes at most once per
// capped wait. What others can repeat at will is capped: a reply that changed nothing (reply_ignored) is recorded
// at most kRepeatsRecorded times per step, and a repeated start (start_repeated, with the outcome it sends again)
// at most kRepeatsRecorded times per saga; the last one recorded says so, later ones leave no row, and their
// payloads keep at most 4 KiB (as a dead letter's). A flood of repeats adds at most kRepeatsRecorded x (steps + 2)
// events to a saga, whatever its length.
//
// Not thread-safe; one per decision, on the thread that makes it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "orchestrator/engine/saga_engine.h"
#include "orchestrator/engine/saga_events.h"
#include "orchestrator/engine/saga_instance.h"
#include "storage/database.h"

namespace sagaflow::engine {

class Timeline {
 public:
  static constexpr int64_t kRepeatsRecorded = 20;

  Timeline(std::string saga_id, TimePoint now);

  // The cause of the decision (several, for time-outs of several steps).
  void Cause(EventKind kind, std::string step, std::string topic, std::string payload, std::string detail);
  // A cause others may repeat at will (a repeated start, a reply that changed nothing): recorded while the saga has
  // fewer than kRepeatsRecorded of them for `step`; past that, nothing of this decision is recorded.
  void Repeat(storage::Sql& sql, EventKind kind, std::string step, std::string topic, std::string_view payload,
              std::string detail);
  // A reply, once the engine took it: applied, confirming a compensation or the outcome, starting a late
  // compensation, or (nothing changed: `acted` false and no status moved) a capped reply_ignored.
  void Replied(storage::Sql& sql, const SagaInstance& before, const SagaInstance& after, const Reply& reply,
               std::string topic, std::string payload, bool acted);
  // Each step of `due` (the saga as the engine's OnTimers got it) whose deadline passed while it awaited something;
  // `after` says what followed.
  void TimedOut(const SagaInstance& due, const SagaInstance& after, TimePoint now);
  void StateChanged(SagaState before, const SagaInstance& after);
  void Sent(EventKind kind, std::string step, int attempt, std::string topic, std::string payload);

  // Appends what was gathered, if anything; a no-op after a Repeat past the cap.
  void Flush(storage::UnitOfWork& uow);

 private:
  SagaEvent Make(EventKind kind, std::string step, std::optional<int> attempt, std::string topic, std::string payload,
                 std::string detail) const;

  std::string saga_id_;
  std::string at_;
  bool muted_ = false;
  std::vector<SagaEvent> causes_;
  std::vector<SagaEvent> state_;
  std::vector<SagaEvent> sent_;
};

}  // namespace sagaflow::engine

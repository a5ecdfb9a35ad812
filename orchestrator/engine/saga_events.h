// saga_events: the timeline of every saga in orchestrator.db (saga_events), for operators and the web console's read
// model. The one home of the event kinds; the SagaManager decides what is recorded (saga_timeline.h), this file only
// stores and reads rows. Store functions run inside the caller's Read or Write callback (SQLite errors propagate as
// exceptions to storage::Database); the prune opens its own write.
//
// Kinds and what each records (step NULL = the whole saga; attempt = the send number; topic and payload = the
// message sent or received, as it went out or came in):
//   saga_started            the start message, with the input the saga runs on
//   start_rejected          a start whose input the definition rejects (detail: why); the saga ends CANCELLED
//   start_repeated          the start message again for an existing saga (detail: the saga's state, what was done)
//   state_changed           the saga's state moved (detail: "RUNNING -> COMPENSATING: <reason>")
//   command_sent            a step's command, first or again
//   compensation_sent       a step's compensation, first or again
//   outcome_sent            the outcome, first or again (a time-out, a repeated start, an operator's retry)
//   timeout                 a step's deadline passed without its reply (attempt: the send that got none; detail: what
//                           was awaited and what follows)
//   reply_applied           a step's command reply that the step was waiting for (detail: success, or the failure)
//   compensation_confirmed  a compensation's confirmation that the step was waiting for
//   outcome_acknowledged    the outcome's acknowledgement, while it was awaited
//   reply_ignored           a reply that changed nothing: a duplicate, a late one, another key, a compensation's
//                           failure (it is sent again at its deadline), one not about our command (detail: which)
//   late_compensation       a success under the command's key for a step recorded failed: its compensation is sent
//   redrive                 an operator's retry (POST /admin/sagas/retry; detail: what it did)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "storage/database.h"
#include "storage/retention.h"

namespace sagaflow::engine {

enum class EventKind {
  kSagaStarted,
  kStartRejected,
  kStartRepeated,
  kStateChanged,
  kCommandSent,
  kCompensationSent,
  kOutcomeSent,
  kTimeout,
  kReplyApplied,
  kCompensationConfirmed,
  kOutcomeAcknowledged,
  kReplyIgnored,
  kLateCompensation,
  kRedrive,
};

std::string_view ToString(EventKind kind);
bool ParseEventKind(std::string_view text, EventKind* kind);

// One row of saga_events. Empty strings and a missing attempt are stored as NULL.
struct SagaEvent {
  std::string saga_id;
  int64_t seq = 0;  // from 1 within the saga
  std::string at;   // ISO 8601 UTC with milliseconds
  EventKind kind = EventKind::kSagaStarted;
  std::string step;
  std::optional<int> attempt;
  std::string topic;
  std::string payload;
  std::string detail;

  bool operator==(const SagaEvent&) const = default;
};

// Sagas are kept for ever, their timelines this long after they settled (the default of the orchestrator's
// --saga-events-retention-ms).
inline constexpr Millis kDefaultTimelineRetention{std::chrono::hours(24 * 7)};

namespace store {

// The seq of the saga's last event; 0 if it has none.
int64_t LastEventSeq(storage::Sql& sql, const std::string& saga_id);
void AppendEvent(storage::UnitOfWork& uow, const SagaEvent& event);
// The saga's events in seq order.
std::vector<SagaEvent> LoadEvents(storage::Sql& sql, const std::string& saga_id);
// How many events of `kind` about `step` (empty: the whole saga) the saga has.
int64_t CountEvents(storage::Sql& sql, const std::string& saga_id, EventKind kind, const std::string& step);

// Deletes up to `limit` events of settled sagas whose timeline began and last changed before `cutoff`: COMPLETED or
// CANCELLED, the outcome acknowledged, nothing awaited. Oldest timelines first; a saga cut short by the limit keeps
// its first events, so the next pass finds it again. Returns how many rows went.
Result<int64_t> PruneSettledTimelines(storage::Database& db, TimePoint cutoff, int limit);

}  // namespace store

// For the clean-up task: settled sagas' timelines are deleted `keep_for` after their last event; the sagas stay.
storage::RetentionRule TimelineRetention(storage::Database& db, Millis keep_for);

}  // namespace sagaflow::engine

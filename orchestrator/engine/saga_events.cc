#include "orchestrator/engine/saga_events.h"

#include <algorithm>
#include <array>
#include <utility>

#include "common/time_format.h"
#include "orchestrator/engine/saga_instance.h"

namespace sagaflow::engine {

namespace {

constexpr std::array<std::pair<EventKind, std::string_view>, 14> kKinds{{
    {EventKind::kSagaStarted, "saga_started"},
    {EventKind::kStartRejected, "start_rejected"},
    {EventKind::kStartRepeated, "start_repeated"},
    {EventKind::kStateChanged, "state_changed"},
    {EventKind::kCommandSent, "command_sent"},
    {EventKind::kCompensationSent, "compensation_sent"},
    {EventKind::kOutcomeSent, "outcome_sent"},
    {EventKind::kTimeout, "timeout"},
    {EventKind::kReplyApplied, "reply_applied"},
    {EventKind::kCompensationConfirmed, "compensation_confirmed"},
    {EventKind::kOutcomeAcknowledged, "outcome_acknowledged"},
    {EventKind::kReplyIgnored, "reply_ignored"},
    {EventKind::kLateCompensation, "late_compensation"},
    {EventKind::kRedrive, "redrive"},
}};

void BindText(SQLite::Statement& statement, int index, const std::string& text) {
  if (text.empty()) {
    statement.bind(index);
  } else {
    statement.bind(index, text);
  }
}

std::string TextOf(const SQLite::Column& column) {
  return column.isNull() ? "" : column.getString();
}

}  // namespace

std::string_view ToString(EventKind kind) {
  for (const auto& [value, name] : kKinds) {
    if (value == kind) return name;
  }
  return "?";
}

bool ParseEventKind(std::string_view text, EventKind* kind) {
  const auto* found = std::ranges::find_if(kKinds, [text](const auto& entry) { return entry.second == text; });
  if (found == kKinds.end()) return false;
  *kind = found->first;
  return true;
}

namespace store {

int64_t LastEventSeq(storage::Sql& sql, const std::string& saga_id) {
  auto& select = sql.Prepare("SELECT MAX(seq) FROM saga_events WHERE saga_id = ?");
  select.bind(1, saga_id);
  if (!select.executeStep() || select.getColumn(0).isNull()) return 0;
  return select.getColumn(0).getInt64();
}

void AppendEvent(storage::UnitOfWork& uow, const SagaEvent& event) {
  auto& insert = uow.Prepare(
      "INSERT INTO saga_events(saga_id, seq, at, kind, step, attempt, topic, payload, detail) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, event.saga_id);
  insert.bind(2, event.seq);
  insert.bind(3, event.at);
  insert.bind(4, std::string(ToString(event.kind)));
  BindText(insert, 5, event.step);
  if (event.attempt) {
    insert.bind(6, *event.attempt);
  } else {
    insert.bind(6);
  }
  BindText(insert, 7, event.topic);
  BindText(insert, 8, event.payload);
  BindText(insert, 9, event.detail);
  insert.exec();
}

std::vector<SagaEvent> LoadEvents(storage::Sql& sql, const std::string& saga_id) {
  auto& select = sql.Prepare(
      "SELECT seq, at, kind, step, attempt, topic, payload, detail FROM saga_events WHERE saga_id = ? ORDER BY seq");
  select.bind(1, saga_id);
  std::vector<SagaEvent> events;
  while (select.executeStep()) {
    SagaEvent event;
    event.saga_id = saga_id;
    event.seq = select.getColumn(0).getInt64();
    event.at = select.getColumn(1).getString();
    ParseEventKind(select.getColumn(2).getString(), &event.kind);
    event.step = TextOf(select.getColumn(3));
    if (!select.getColumn(4).isNull()) event.attempt = select.getColumn(4).getInt();
    event.topic = TextOf(select.getColumn(5));
    event.payload = TextOf(select.getColumn(6));
    event.detail = TextOf(select.getColumn(7));
    events.push_back(std::move(event));
  }
  return events;
}

int64_t CountEvents(storage::Sql& sql, const std::string& saga_id, EventKind kind, const std::string& step) {
  // Walks only this saga's rows of the primary key.
  auto& select = sql.Prepare("SELECT COUNT(*) FROM saga_events WHERE saga_id = ? AND kind = ? AND step IS ?");
  select.bind(1, saga_id);
  select.bind(2, std::string(ToString(kind)));
  BindText(select, 3, step);
  return select.executeStep() ? select.getColumn(0).getInt64() : 0;
}

Result<int64_t> PruneSettledTimelines(storage::Database& db, TimePoint cutoff, int limit) {
  int64_t deleted = 0;
  Status status = db.Write([&](storage::UnitOfWork& uow) {
    // Candidates come from saga_events_begun (one entry per timeline, oldest first), never from the sagas, which are
    // kept for ever: CROSS JOIN keeps the planner from walking every finished saga through sagas_state instead. The
    // walk passes over old timelines that are not settled yet (a FAILED saga waiting for an operator), few by nature.
    // Rows go highest seq first, so a saga cut short by the limit keeps its first event and is found again.
    auto& del = uow.Prepare(
        "DELETE FROM saga_events WHERE (saga_id, seq) IN ("
        " SELECT saga_id, seq FROM saga_events WHERE saga_id IN ("
        "  SELECT first.saga_id FROM saga_events AS first CROSS JOIN sagas AS s ON s.saga_id = first.saga_id"
        "   WHERE first.seq = 1 AND first.at < ?1 AND s.state IN (?3, ?4)"
        "     AND (SELECT last.at FROM saga_events AS last WHERE last.saga_id = first.saga_id"
        "           ORDER BY last.seq DESC LIMIT 1) < ?1"
        "     AND NOT EXISTS (SELECT 1 FROM saga_steps AS st WHERE st.saga_id = first.saga_id"
        "           AND (st.deadline IS NOT NULL OR (st.step = ?5 AND st.status <> ?6)))"
        "   ORDER BY first.at LIMIT ?2)"
        " ORDER BY saga_id DESC, seq DESC LIMIT ?2)");
    del.bind(1, FormatIso8601(cutoff));
    del.bind(2, limit);
    del.bind(3, std::string(ToString(SagaState::kCompleted)));
    del.bind(4, std::string(ToString(SagaState::kCancelled)));
    del.bind(5, std::string(kOutcomeStep));
    del.bind(6, std::string(ToString(StepStatus::kSucceeded)));
    deleted = del.exec();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return deleted;
}

}  // namespace store

storage::RetentionRule TimelineRetention(storage::Database& db, Millis keep_for) {
  return {.table = "saga_events", .keep_for = keep_for, .prune = [&db](TimePoint cutoff, int limit) {
            return store::PruneSettledTimelines(db, cutoff, limit);
          }};
}

}  // namespace sagaflow::engine

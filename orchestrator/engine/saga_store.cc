#include "orchestrator/engine/saga_store.h"

#include <algorithm>
#include <utility>

#include "common/time_format.h"

namespace sagaflow::engine::store {

namespace {

// `where` binds its parameters from 1 on.
std::optional<SagaInstance> LoadWhere(storage::Sql& sql, const std::string& where,
                                      const std::vector<std::string>& values) {
  auto& select = sql.Prepare(
      "SELECT saga_id, order_id, definition, state, stage, failure_reason, data, created_at, updated_at, "
      "definition_version FROM sagas WHERE " +
      where);
  for (size_t i = 0; i < values.size(); ++i) select.bind(static_cast<int>(i + 1), values[i]);
  if (!select.executeStep()) return std::nullopt;
  SagaInstance saga;
  saga.saga_id = select.getColumn(0).getString();
  saga.correlation_id = select.getColumn(1).getString();
  saga.definition = select.getColumn(2).getString();
  ParseSagaState(select.getColumn(3).getString(), &saga.state);
  saga.stage = select.getColumn(4).getInt();
  saga.failure_reason = select.getColumn(5).isNull() ? "" : select.getColumn(5).getString();
  saga.data = select.getColumn(6).getString();
  auto created = ParseIso8601(select.getColumn(7).getString());
  auto updated = ParseIso8601(select.getColumn(8).getString());
  saga.created_at = created.ok() ? *created : TimePoint{};
  saga.updated_at = updated.ok() ? *updated : TimePoint{};
  saga.definition_version = select.getColumn(9).getInt();
  select.reset();

  auto& steps = sql.Prepare(
      "SELECT step, stage, status, attempts, compensation_attempts, deadline, sent_at, failure_reason, last_reply, "
      "outbox_id, wait_ms FROM saga_steps WHERE saga_id = ? ORDER BY stage, rowid");
  steps.bind(1, saga.saga_id);
  while (steps.executeStep()) {
    StepState step;
    step.name = steps.getColumn(0).getString();
    step.stage = steps.getColumn(1).getInt();
    ParseStepStatus(steps.getColumn(2).getString(), &step.status);
    step.attempts = steps.getColumn(3).getInt();
    step.compensation_attempts = steps.getColumn(4).getInt();
    if (!steps.getColumn(5).isNull()) step.deadline = FromEpochMillis(steps.getColumn(5).getInt64());
    if (!steps.getColumn(6).isNull()) step.sent_at = FromEpochMillis(steps.getColumn(6).getInt64());
    step.failure_reason = steps.getColumn(7).isNull() ? "" : steps.getColumn(7).getString();
    step.last_reply = steps.getColumn(8).isNull() ? "" : steps.getColumn(8).getString();
    if (!steps.getColumn(9).isNull()) step.outbox_id = steps.getColumn(9).getInt64();
    if (!steps.getColumn(10).isNull()) step.wait = Millis(steps.getColumn(10).getInt64());
    saga.steps.push_back(std::move(step));
  }
  return saga;
}

}  // namespace

std::optional<SagaInstance> LoadByCorrelation(storage::Sql& sql, const std::string& definition,
                                              const std::string& correlation_id) {
  return LoadWhere(sql, "order_id = ?1 AND definition = ?2", {correlation_id, definition});
}

std::optional<SagaInstance> LoadById(storage::Sql& sql, const std::string& saga_id) {
  return LoadWhere(sql, "saga_id = ?1", {saga_id});
}

std::vector<std::string> DefinitionsWithCorrelation(storage::Sql& sql, const std::string& correlation_id) {
  auto& select = sql.Prepare("SELECT definition FROM sagas WHERE order_id = ? ORDER BY definition");
  select.bind(1, correlation_id);
  std::vector<std::string> names;
  while (select.executeStep()) names.push_back(select.getColumn(0).getString());
  return names;
}

namespace {

void InsertSaga(storage::UnitOfWork& uow, const SagaInstance& saga) {
  auto& upsert = uow.Prepare(
      "INSERT INTO sagas(saga_id, order_id, definition, state, stage, failure_reason, data, created_at, updated_at, "
      "definition_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
      "ON CONFLICT(saga_id) DO UPDATE SET state = ?4, stage = ?5, failure_reason = ?6, updated_at = ?9");
  upsert.bind(1, saga.saga_id);
  upsert.bind(2, saga.correlation_id);
  upsert.bind(3, saga.definition);
  upsert.bind(4, std::string(ToString(saga.state)));
  upsert.bind(5, saga.stage);
  if (saga.failure_reason.empty()) {
    upsert.bind(6);
  } else {
    upsert.bind(6, saga.failure_reason);
  }
  upsert.bind(7, saga.data);
  upsert.bind(8, FormatIso8601(saga.created_at));
  upsert.bind(9, FormatIso8601(saga.updated_at));
  upsert.bind(10, saga.definition_version);
  upsert.exec();
}

// SQLite rewrites the entry of every index on a column named in SET, changed or not: the state (and its
// index) is set only when it changed.
void UpdateSaga(storage::UnitOfWork& uow, const SagaInstance& saga, bool state_changed) {
  auto& update = uow.Prepare(
      state_changed ? "UPDATE sagas SET stage = ?2, failure_reason = ?3, updated_at = ?4, state = ?5 WHERE saga_id = ?1"
                    : "UPDATE sagas SET stage = ?2, failure_reason = ?3, updated_at = ?4 WHERE saga_id = ?1");
  update.bind(1, saga.saga_id);
  update.bind(2, saga.stage);
  if (saga.failure_reason.empty()) {
    update.bind(3);
  } else {
    update.bind(3, saga.failure_reason);
  }
  update.bind(4, FormatIso8601(saga.updated_at));
  if (state_changed) update.bind(5, std::string(ToString(saga.state)));
  update.exec();
}

void SaveStep(storage::UnitOfWork& uow, const std::string& saga_id, const StepState& step, const std::string& updated) {
  auto& upsert = uow.Prepare(
      "INSERT INTO saga_steps(saga_id, step, stage, status, attempts, compensation_attempts, deadline, sent_at, "
      "failure_reason, last_reply, updated_at, outbox_id, wait_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
      "ON CONFLICT(saga_id, step) DO UPDATE SET status = ?4, attempts = ?5, compensation_attempts = ?6, "
      "deadline = ?7, sent_at = ?8, failure_reason = ?9, last_reply = ?10, updated_at = ?11, outbox_id = ?12, "
      "wait_ms = ?13");
  upsert.bind(1, saga_id);
  upsert.bind(2, step.name);
  upsert.bind(3, step.stage);
  upsert.bind(4, std::string(ToString(step.status)));
  upsert.bind(5, step.attempts);
  upsert.bind(6, step.compensation_attempts);
  if (step.deadline) {
    upsert.bind(7, ToEpochMillis(*step.deadline));
  } else {
    upsert.bind(7);
  }
  if (step.sent_at) {
    upsert.bind(8, ToEpochMillis(*step.sent_at));
  } else {
    upsert.bind(8);
  }
  if (step.failure_reason.empty()) {
    upsert.bind(9);
  } else {
    upsert.bind(9, step.failure_reason);
  }
  if (step.last_reply.empty()) {
    upsert.bind(10);
  } else {
    upsert.bind(10, step.last_reply);
  }
  upsert.bind(11, updated);
  if (step.outbox_id) {
    upsert.bind(12, *step.outbox_id);
  } else {
    upsert.bind(12);
  }
  upsert.bind(13, static_cast<int64_t>(step.wait.count()));
  upsert.exec();
}

}  // namespace

void Save(storage::UnitOfWork& uow, const SagaInstance& saga, const SagaInstance* stored) {
  if (stored == nullptr) {
    InsertSaga(uow, saga);
  } else if (saga.state != stored->state || saga.stage != stored->stage ||
             saga.failure_reason != stored->failure_reason || saga.updated_at != stored->updated_at) {
    UpdateSaga(uow, saga, saga.state != stored->state);
  }
  const std::string updated = FormatIso8601(saga.updated_at);
  for (const auto& step : saga.steps) {
    const StepState* before = stored == nullptr ? nullptr : stored->Step(step.name);
    if (before != nullptr && *before == step) continue;
    SaveStep(uow, saga.saga_id, step, updated);
  }
}

std::vector<std::string> DueSagas(storage::Sql& sql, TimePoint now, int limit) {
  // Walks the deadline index in order and stops at the limit. Grouping by saga in SQL would sort every due step for
  // each batch, so a backlog of due sagas (an outbox that fell behind) cost the square of its size, on the lock
  // every consumed message waits for.
  auto& select =
      sql.Prepare("SELECT saga_id FROM saga_steps WHERE deadline IS NOT NULL AND deadline <= ? ORDER BY deadline");
  select.bind(1, ToEpochMillis(now));
  std::vector<std::string> ids;
  while (std::cmp_less(ids.size(), limit) && select.executeStep()) {
    std::string id = select.getColumn(0).getString();
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
  }
  return ids;
}

std::optional<TimePoint> EarliestDeadline(storage::Sql& sql) {
  auto& select = sql.Prepare("SELECT MIN(deadline) FROM saga_steps WHERE deadline IS NOT NULL");
  if (!select.executeStep() || select.getColumn(0).isNull()) return std::nullopt;
  return FromEpochMillis(select.getColumn(0).getInt64());
}

namespace {

// The sagas the engine may still act on: not finished, or finished and awaiting something (a late success's
// compensation, the outcome's acknowledgement). Read through the state and deadline indexes, never the history.
constexpr std::string_view kActiveSagaIds =
    "SELECT saga_id FROM sagas WHERE state IN ('RUNNING', 'COMPENSATING', 'FAILED') "
    "UNION SELECT saga_id FROM saga_steps WHERE deadline IS NOT NULL";

}  // namespace

std::map<std::string, std::vector<std::string>> ActiveSagaSteps(storage::Sql& sql, const std::string& definition,
                                                                int version) {
  auto& select = sql.Prepare(
      "SELECT st.saga_id, st.step, st.stage FROM saga_steps st JOIN sagas s USING (saga_id) "
      "WHERE s.definition = ? AND s.definition_version = ? AND s.saga_id IN (" +
      std::string(kActiveSagaIds) + ") ORDER BY st.saga_id, st.stage, st.rowid");
  select.bind(1, definition);
  select.bind(2, version);
  std::map<std::string, std::vector<std::string>> steps;
  while (select.executeStep()) {
    steps[select.getColumn(0).getString()].push_back(select.getColumn(1).getString() + "@" +
                                                     std::to_string(select.getColumn(2).getInt()));
  }
  return steps;
}

std::map<std::pair<std::string, int>, int64_t> ActiveSagasByVersion(storage::Sql& sql) {
  auto& select = sql.Prepare("SELECT definition, definition_version, COUNT(*) FROM sagas WHERE saga_id IN (" +
                             std::string(kActiveSagaIds) + ") GROUP BY definition, definition_version");
  std::map<std::pair<std::string, int>, int64_t> counts;
  while (select.executeStep()) {
    counts[{select.getColumn(0).getString(), select.getColumn(1).getInt()}] = select.getColumn(2).getInt64();
  }
  return counts;
}

}  // namespace sagaflow::engine::store

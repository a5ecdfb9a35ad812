#include "readmodel/saga_reads.h"

#include <memory>
#include <unordered_map>

#include "orchestrator/engine/saga_store.h"
#include "readmodel/database_access.h"
#include "readmodel/saga_rows.h"
#include "readmodel/waiting.h"
#include "storage/database.h"

namespace sagaflow::readmodel {

namespace {

StepRecord ReadStep(SQLite::Statement& select) {
  StepRecord step;
  step.saga_id = select.getColumn(0).getString();
  step.step = select.getColumn(1).getString();
  step.stage = select.getColumn(2).getInt64();
  step.status = select.getColumn(3).getString();
  step.attempts = select.getColumn(4).getInt64();
  step.compensation_attempts = select.getColumn(5).getInt64();
  step.deadline = TimeOrNone(select, 6);
  step.sent_at = TimeOrNone(select, 7);
  step.failure_reason = TextOrEmpty(select, 8);
  step.last_reply = TextOrEmpty(select, 9);
  step.updated_at = select.getColumn(10).getString();
  step.outbox_id = IntegerOrNone(select, 11);
  step.wait_ms = IntegerOrNone(select, 12);
  return step;
}

// In stage order, the stage of steps run only to undo (negative) last, each stage as its steps were added.
std::vector<StepRecord> ReadSteps(SQLite::Database& sagas, const std::string& saga_id) {
  SQLite::Statement select(sagas,
                           "SELECT saga_id, step, stage, status, attempts, compensation_attempts, deadline, sent_at, "
                           "failure_reason, last_reply, updated_at, outbox_id, wait_ms "
                           "FROM saga_steps WHERE saga_id = ? ORDER BY stage < 0, stage, rowid");
  select.bind(1, saga_id);
  std::vector<StepRecord> steps;
  while (select.executeStep()) steps.push_back(ReadStep(select));
  return steps;
}

// `where` binds its values from 1 on and matches at most one saga.
std::optional<SagaView> SagaWhere(SQLite::Database& sagas, const std::string& where,
                                  const std::vector<std::string>& values) {
  SQLite::Statement select(sagas,
                           "SELECT " + std::string(kSagaRowColumns) + ", s.stage, s.data FROM sagas s WHERE " + where);
  for (size_t i = 0; i < values.size(); ++i) select.bind(static_cast<int>(i + 1), values[i]);
  if (!select.executeStep()) return std::nullopt;
  SagaView view;
  view.saga = ReadSagaRow(select);
  view.stage = select.getColumn(9).getInt64();
  view.data = select.getColumn(10).getString();
  view.steps = ReadSteps(sagas, view.saga.saga_id);
  view.waiting = WaitsOf(view.saga.state, view.steps);
  return view;
}

}  // namespace

std::optional<SagaView> SagaById(SQLite::Database& sagas, const std::string& saga_id) {
  return SagaWhere(sagas, "s.saga_id = ?", {saga_id});
}

std::optional<SagaView> SagaByCorrelation(SQLite::Database& sagas, const std::string& definition,
                                          const std::string& correlation_id) {
  return SagaWhere(sagas, "s.order_id = ? AND s.definition = ?", {correlation_id, definition});
}

std::vector<SagaView> SagasWithCorrelation(SQLite::Database& sagas, const std::string& correlation_id) {
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements;
  storage::Sql sql(sagas, statements);
  std::vector<SagaView> views;
  for (const auto& definition : engine::store::DefinitionsWithCorrelation(sql, correlation_id)) {
    if (auto view = SagaByCorrelation(sagas, definition, correlation_id)) views.push_back(std::move(*view));
  }
  return views;
}

}  // namespace sagaflow::readmodel

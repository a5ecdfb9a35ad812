#include "readmodel/stuck.h"

#include <algorithm>
#include <string>

#include "common/time_format.h"
#include "manifest/service_manifest.h"
#include "readmodel/saga_rows.h"

namespace sagaflow::readmodel {

bool IsUnfinished(std::string_view state) {
  return std::find(kUnfinishedStates.begin(), kUnfinishedStates.end(), state) != kUnfinishedStates.end();
}

bool NotUpdatedFor(const SagaRow& row, Millis age, TimePoint now) {
  auto updated_at = ParseIso8601(row.updated_at);
  return updated_at.ok() && now - *updated_at >= age;
}

bool IsStuck(const SagaRow& row, Millis stuck_after, TimePoint now) {
  return IsUnfinished(row.state) && (!row.next_timer || NotUpdatedFor(row, stuck_after, now));
}

std::vector<SagaRow> StuckSagas(SQLite::Database& sagas, Millis stuck_after, TimePoint now, int64_t limit) {
  SQLite::Statement select(sagas, "SELECT " + std::string(kSagaRowColumns) +
                                      " FROM sagas s WHERE s.state IN ('RUNNING', 'COMPENSATING', 'FAILED') "
                                      "ORDER BY s.updated_at");
  std::vector<SagaRow> stuck;
  while (static_cast<int64_t>(stuck.size()) < limit && select.executeStep()) {
    SagaRow row = ReadSagaRow(select);
    if (IsStuck(row, stuck_after, now)) stuck.push_back(std::move(row));
  }
  return stuck;
}

std::vector<OrderWithoutSaga> OrdersWithoutSaga(SQLite::Database& orders, SQLite::Database& sagas, Millis grace,
                                                TimePoint now, int64_t limit) {
  // Every status but COMPLETED and CANCELLED, named so that SQLite reads them through the status index; rowid
  // breaks ties as a walk of the created_at index would.
  SQLite::Statement pending(orders,
                            "SELECT order_id, status, created_at FROM orders "
                            "WHERE status IN ('PENDING', 'PROCESSING', 'COMPENSATING', 'FAILED') "
                            "ORDER BY created_at, rowid");
  SQLite::Statement saga(sagas, "SELECT 1 FROM sagas WHERE order_id = ? AND definition = ?");
  std::vector<OrderWithoutSaga> without;
  while (static_cast<int64_t>(without.size()) < limit && pending.executeStep()) {
    OrderWithoutSaga order{pending.getColumn(0).getString(), pending.getColumn(1).getString(),
                           pending.getColumn(2).getString()};
    auto created_at = ParseIso8601(order.created_at);
    if (!created_at.ok() || now - *created_at < grace) continue;
    saga.reset();
    saga.bind(1, order.order_id);
    saga.bind(2, std::string(kOrderSagaName));
    if (saga.executeStep()) continue;
    without.push_back(std::move(order));
  }
  return without;
}

}  // namespace sagaflow::readmodel

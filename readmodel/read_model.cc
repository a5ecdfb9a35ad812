// ReadModel's calls that sagactl's list, stuck and verify make; the others live with what they read
// (saga_listing.cc, saga_reads.cc, saga_timeline.cc, order_status.cc, service_queues.cc, definition_versions.cc,
// overview.cc).
#include "readmodel/read_model.h"

#include <limits>

#include "manifest/service_manifest.h"
#include "readmodel/database_access.h"
#include "readmodel/saga_rows.h"
#include "readmodel/stuck.h"

namespace sagaflow::readmodel {

namespace {

constexpr int64_t kEveryRow = std::numeric_limits<int64_t>::max();

}  // namespace

Status ReadModel::CheckDatabases() const {
  auto checked = Guarded([&] {
    for (const auto& service : SagaflowServices()) OpenReadOnly(home_, service.db_file);
    return true;
  });
  return checked.status();
}

Result<std::vector<SagaRow>> ReadModel::SagasByLastUpdate(const std::optional<std::string>& state,
                                                          std::optional<Millis> not_updated_for, TimePoint now) const {
  return Guarded([&] {
    auto sagas = OpenReadOnly(home_, DatabaseOf("orchestrator"));
    SQLite::Statement select(*sagas, "SELECT " + std::string(kSagaRowColumns) + " FROM sagas s" +
                                         (state ? " WHERE s.state = ?" : "") + " ORDER BY s.updated_at");
    if (state) select.bind(1, *state);
    std::vector<SagaRow> rows;
    while (select.executeStep()) {
      SagaRow row = ReadSagaRow(select);
      if (not_updated_for && !NotUpdatedFor(row, *not_updated_for, now)) continue;
      rows.push_back(std::move(row));
    }
    return rows;
  });
}

Result<StuckReport> ReadModel::Stuck(Millis not_updated_for, TimePoint now) const {
  return Guarded([&] {
    auto sagas = OpenReadOnly(home_, DatabaseOf("orchestrator"));
    StuckReport report;
    report.sagas = StuckSagas(*sagas, not_updated_for, now, kEveryRow);
    auto orders = OpenReadOnly(home_, DatabaseOf("order-service"));
    report.orders_without_saga = OrdersWithoutSaga(*orders, *sagas, not_updated_for, now, kEveryRow);
    return report;
  });
}

}  // namespace sagaflow::readmodel

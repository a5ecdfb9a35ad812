// ReadModel::OverviewAt: the console's front page. Every count is read through an index and bounded by what is in
// flight: sagas by state (the state index), the stuck rule over the unfinished sagas and the non-terminal orders
// (at most kOverviewCountLimit of each), each service's unpublished outbox rows (their partial index) and dead
// letters (kept a week).
#include "common/time_format.h"
#include "manifest/service_manifest.h"
#include "readmodel/database_access.h"
#include "readmodel/queue_reads.h"
#include "readmodel/read_model.h"
#include "readmodel/stuck.h"

namespace sagaflow::readmodel {

namespace {

int64_t CountInState(SQLite::Database& sagas, const std::string& state) {
  SQLite::Statement select(sagas, "SELECT COUNT(*) FROM sagas WHERE state = ?");
  select.bind(1, state);
  select.executeStep();
  return select.getColumn(0).getInt64();
}

ServiceOverview ReadServiceOverview(SQLite::Database& db, const std::string& service, TimePoint now) {
  const OutboxBacklog backlog = ReadOutboxBacklog(db, service);
  ServiceOverview overview{service, backlog.unpublished, backlog.oldest_created_at, std::nullopt, CountDeadLetters(db)};
  if (auto oldest = ParseIso8601(backlog.oldest_created_at); oldest.ok()) {
    overview.oldest_unpublished_age = std::chrono::duration_cast<Millis>(now - *oldest);
  }
  return overview;
}

void CountSagas(SQLite::Database& sagas, Millis stuck_after, TimePoint now, Overview& overview) {
  overview.running = CountInState(sagas, "RUNNING");
  overview.compensating = CountInState(sagas, "COMPENSATING");
  overview.failed = CountInState(sagas, "FAILED");
  overview.stuck = static_cast<int64_t>(StuckSagas(sagas, stuck_after, now, kOverviewCountLimit).size());
}

}  // namespace

Result<Overview> ReadModel::OverviewAt(TimePoint now, Millis stuck_after) const {
  return Guarded([&] {
    Overview overview;
    for (const auto& service : SagaflowServices()) {
      auto db = OpenReadOnly(home_, service.db_file);
      overview.services.push_back(ReadServiceOverview(*db, service.name, now));
    }
    auto sagas = OpenReadOnly(home_, DatabaseOf("orchestrator"));
    CountSagas(*sagas, stuck_after, now, overview);
    auto orders = OpenReadOnly(home_, DatabaseOf("order-service"));
    overview.orders_without_saga =
        static_cast<int64_t>(OrdersWithoutSaga(*orders, *sagas, stuck_after, now, kOverviewCountLimit).size());
    overview.counts_limited =
        overview.stuck >= kOverviewCountLimit || overview.orders_without_saga >= kOverviewCountLimit;
    return overview;
  });
}

}  // namespace sagaflow::readmodel

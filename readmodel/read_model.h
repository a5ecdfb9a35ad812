// ReadModel: every read the operator's tools make of the five services' databases, as typed records. sagactl
// formats them as text or JSON; the web console serves them. One home for these queries, so both answer alike.
//
// Contract:
// - Read-only. Each call opens the <home>/data/<file> it needs (the manifest names the files) with
//   SQLITE_OPEN_READONLY and closes it before returning; nothing is cached between calls. A ReadModel holds only
//   the home's path, so one object may be shared by any number of threads calling it at once (the console's HTTP
//   threads): each call has its own connections.
// - A call reading several databases reads each at its own moment (no snapshot across files), as the services
//   commit independently.
// - Errors are values: FailedPrecondition for a database file that does not exist, NotFound for an order or saga
//   it does not hold, InvalidArgument for a bad cursor, page size or service name, IoError (SQLite's message) for
//   anything else. Nothing throws out of it.
// - Strings come back as stored: untrusted (an id may hold quotes or control characters); escaping is the
//   formatter's job.
// - Bounds: listings are paged (ListSagas, DeadLetters: 1..200 rows, newest first, keyset cursors), or bounded by
//   what is in flight (sagas that are not finished, orders without a saga, unpublished outbox rows). The sagactl
//   listings (SagasByLastUpdate, DeadLetters read to the end) read every saga or dead letter: sagactl's contract.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "orchestrator/engine/saga_events.h"
#include "readmodel/order_records.h"
#include "readmodel/saga_records.h"
#include "readmodel/service_records.h"

namespace sagaflow::readmodel {

class ReadModel {
 public:
  // `home` is SAGAFLOW_HOME: the databases are <home>/data/<file>.
  explicit ReadModel(std::string home) : home_(std::move(home)) {}

  // OK if every service's database file exists; else FailedPrecondition naming the first missing one.
  Status CheckDatabases() const;

  // `sagactl list`: every saga, oldest update first; only `state` if given, only those not updated for
  // `not_updated_for` (before `now`) if given.
  Result<std::vector<SagaRow>> SagasByLastUpdate(const std::optional<std::string>& state,
                                                 std::optional<Millis> not_updated_for, TimePoint now) const;
  // `sagactl stuck`: the unfinished sagas nothing will move (no timer, or not updated for `not_updated_for`), and
  // the non-terminal orders at least that old that never got a saga. Reads the unfinished sagas and orders only.
  Result<StuckReport> Stuck(Millis not_updated_for, TimePoint now) const;
  // The console's listing: `filter`'s sagas, newest first (created_at, saga_id descending), one page. Read through
  // the sagas(created_at, saga_id), (state, ...) and (definition, ...) indexes; stuck_only reads the unfinished
  // sagas' states one by one. InvalidArgument for a malformed cursor or a size outside 1..kMaxPageSize.
  Result<SagaPage> ListSagas(const SagaFilter& filter, const PageRequest& page, TimePoint now) const;

  // `sagactl status <orderId>`: NotFound if orders.db has no such order.
  Result<OrderStatus> StatusOfOrder(const std::string& order_id) const;
  // One saga by its id: NotFound if there is none.
  Result<SagaDetail> LoadSaga(const std::string& saga_id) const;
  // The saga's timeline (orchestrator.db's saga_events), oldest first; empty if it has none (a saga whose settled
  // timeline was pruned, or one begun before timelines were kept).
  Result<std::vector<engine::SagaEvent>> Timeline(const std::string& saga_id) const;
  // Every saga with this correlation id (one per definition that has it), by definition name; empty if none.
  Result<std::vector<SagaDetail>> FindSagas(const std::string& correlation_id) const;

  // `sagactl outbox`: each service's unpublished rows, in the manifest's order. Reads only unpublished rows.
  Result<std::vector<OutboxBacklog>> OutboxBacklogs() const;
  // `service`'s dead letters (a manifest name: "order-service"), newest first, one page. InvalidArgument for an
  // unknown service, a malformed cursor or a size outside 1..kMaxPageSize.
  Result<DeadLetterPage> DeadLetters(std::string_view service, const PageRequest& page) const;
  // `sagactl definitions list`: every stored definition version by name then version, with its running sagas.
  Result<std::vector<DefinitionVersion>> DefinitionVersions() const;
  // The console's front page: saga counts by state (the state index), stuck sagas and orders without a saga (at
  // most kOverviewCountLimit each, stuck after `stuck_after`), and per service the outbox backlog and dead letters.
  Result<Overview> OverviewAt(TimePoint now, Millis stuck_after = Millis(60'000)) const;

 private:
  std::string home_;
};

}  // namespace sagaflow::readmodel

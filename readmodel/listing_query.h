// The query behind one stream of ReadModel::ListSagas: the sagas of a filter (and of one state, or any) after a
// position, newest first. The WHERE is built from the filter with only equality and range terms on the indexed
// columns (no function of a column, no OR; the position as one row-value comparison), so that SQLite walks
// sagas(created_at, saga_id), (state, created_at, saga_id) or (definition, created_at, saga_id) in the order asked
// and stops after a page. A correlation id names at most one saga per definition: found through the
// (order_id, definition) index and sorted in a B-tree of that handful. Where two filters could each use an index
// the query names the one to use, so that a page costs the same over a million finished sagas as over a hundred.
// Internal to readmodel (the plan and scale tests read the SQL too).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <optional>
#include <string>

#include "readmodel/saga_records.h"

namespace sagaflow::readmodel {

// Where the previous page ended: the last row's sort key.
struct Position {
  std::string created_at;
  std::string saga_id;
};

// The SELECT (kSagaRowColumns) of the sagas matching `filter` (all but stuck_only, which is applied to the rows
// read), of `state` if given, after `after` if given, newest first.
std::string ListingSql(const SagaFilter& filter, const std::optional<std::string>& state, bool after);

// Binds ListingSql's named parameters in `select`.
void BindListing(SQLite::Statement& select, const SagaFilter& filter, const std::optional<std::string>& state,
                 const std::optional<Position>& after);

// ListingSql prepared and bound.
std::unique_ptr<SQLite::Statement> OpenListingQuery(SQLite::Database& db, const SagaFilter& filter,
                                                    const std::optional<std::string>& state,
                                                    const std::optional<Position>& after);

}  // namespace sagaflow::readmodel

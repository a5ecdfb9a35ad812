// The one rule for "nothing will move it", as `sagactl stuck`, the console's stuck-only listing and the overview's
// count apply it: a saga that is not finished (RUNNING, COMPENSATING, FAILED) with no step timer pending, or not
// updated for the given time; and an order that is not terminal, at least that old, that the orchestrator has no
// saga of the order definition for (its orders/created never started one). Internal to readmodel.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "readmodel/saga_records.h"

namespace sagaflow::readmodel {

// The states in which the engine still works on a saga, or an operator must.
inline constexpr std::array<std::string_view, 3> kUnfinishedStates = {"RUNNING", "COMPENSATING", "FAILED"};

bool IsUnfinished(std::string_view state);

// Whether `row` was last updated at least `age` before `now`; false if its updated_at is not a time.
bool NotUpdatedFor(const SagaRow& row, Millis age, TimePoint now);

// The rule above for one saga.
bool IsStuck(const SagaRow& row, Millis stuck_after, TimePoint now);

// The stuck sagas of orchestrator.db, oldest update first, at most `limit`. Reads the unfinished sagas only.
std::vector<SagaRow> StuckSagas(SQLite::Database& sagas, Millis stuck_after, TimePoint now, int64_t limit);

// The orders of orders.db without a saga in orchestrator.db, oldest first, at most `limit`. Reads the non-terminal
// orders only.
std::vector<OrderWithoutSaga> OrdersWithoutSaga(SQLite::Database& orders, SQLite::Database& sagas, Millis grace,
                                                TimePoint now, int64_t limit);

}  // namespace sagaflow::readmodel

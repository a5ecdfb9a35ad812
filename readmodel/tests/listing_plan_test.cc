// The console's listing reads through the indexes that migration sagas/003 adds: sagas(created_at, saga_id),
// sagas(state, created_at, saga_id) and sagas(definition, created_at, saga_id). For every combination of filters
// and a cursor, EXPLAIN QUERY PLAN of listing_query.h's SQL must search or walk an index for `sagas` (never scan the
// table), look a saga's steps up by saga_id, and need no temporary B-tree for the ORDER BY; a correlation id, which
// names at most one saga per definition, may sort that handful.
#include <SQLiteCpp/SQLiteCpp.h>

#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "readmodel/listing_query.h"
#include "readmodel/tests/read_model_test_world.h"

namespace sagaflow::readmodel {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TimeAt;

// The column lists of every index on sagas, as "created_at,saga_id".
std::set<std::string> SagasIndexColumns(SQLite::Database& db) {
  std::set<std::string> indexes;
  SQLite::Statement names(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sagas'");
  while (names.executeStep()) {
    SQLite::Statement columns(db, "SELECT name FROM pragma_index_info(?) ORDER BY seqno");
    columns.bind(1, names.getColumn(0).getString());
    std::string list;
    while (columns.executeStep()) list += (list.empty() ? "" : ",") + columns.getColumn(0).getString();
    indexes.insert(list);
  }
  return indexes;
}

// Every filter combination of the listing (stuck-only reads by state, so it is the `state` case).
std::vector<std::pair<std::string, SagaFilter>> Filters() {
  std::vector<std::pair<std::string, SagaFilter>> filters;
  for (int mask = 0; mask < 16; ++mask) {
    SagaFilter filter;
    std::string name;
    if ((mask & 1) != 0) filter.definition = "order", name += "definition ";
    if ((mask & 2) != 0) filter.created_from = TimeAt(0), name += "from ";
    if ((mask & 4) != 0) filter.created_to = TimeAt(1000), name += "to ";
    if ((mask & 8) != 0) filter.correlation_id = "order-1", name += "correlation ";
    filters.emplace_back(name, filter);
  }
  return filters;
}

// The plan's lines, one per row of EXPLAIN QUERY PLAN.
std::vector<std::string> PlanOf(SQLite::Database& db, const SagaFilter& filter, const std::optional<std::string>& state,
                                bool after) {
  SQLite::Statement explain(db, "EXPLAIN QUERY PLAN " + ListingSql(filter, state, after));
  BindListing(explain, filter, state,
              after ? std::optional<Position>(Position{"2020-01-01T00:00:00.500Z", "saga-9"}) : std::nullopt);
  std::vector<std::string> plan;
  while (explain.executeStep()) plan.push_back(explain.getColumn(3).getString());
  return plan;
}

class ListingPlanTest : public testing::ReadModelTest {};

TEST_F(ListingPlanTest, EveryFilterCombinationReadsThroughAnIndexInOrder) {
  databases_.CloseAll();
  SQLite::Database db((databases_.data_dir() / "orchestrator.db").string(), SQLite::OPEN_READONLY);
  const std::set<std::string> indexes = SagasIndexColumns(db);
  for (const char* wanted : {"created_at,saga_id", "state,created_at,saga_id", "definition,created_at,saga_id"}) {
    ASSERT_TRUE(indexes.contains(wanted)) << "orchestrator.db has no index on sagas(" << wanted << ")";
  }
  for (const auto& [name, filter] : Filters()) {
    for (const std::optional<std::string>& state : {std::optional<std::string>(), std::optional<std::string>("RUNNING"),
                                                    std::optional<std::string>("COMPLETED")}) {
      for (const bool after : {false, true}) {
        const std::vector<std::string> plan = PlanOf(db, filter, state, after);
        const std::string described = name + state.value_or("") + (after ? " cursor" : "");
        const std::string joined = ::testing::PrintToString(plan);
        EXPECT_THAT(joined, Not(HasSubstr("SCAN s\""))) << described << ": scans sagas: " << joined;
        EXPECT_THAT(joined, HasSubstr(" s USING ")) << described << ": no index for sagas: " << joined;
        EXPECT_THAT(joined, HasSubstr("SEARCH t USING INDEX sqlite_autoindex_saga_steps_1 (saga_id=?)"))
            << described << ": " << joined;
        if (!filter.correlation_id) {
          EXPECT_THAT(joined, Not(HasSubstr("TEMP B-TREE"))) << described << ": sorts: " << joined;
        } else {
          EXPECT_THAT(joined, HasSubstr("(order_id=?")) << described << ": not by the correlation id: " << joined;
        }
      }
    }
  }
}

}  // namespace
}  // namespace sagaflow::readmodel

// A page of the saga list costs the same over a long history as over a short one: for every filter combination of
// the listing, the work SQLite does to read one page (its virtual machine steps) is measured over a history of
// finished sagas, then again after fifty times as many were added, and must not grow with them; no page may scan
// past its own rows. The history is written as the orchestrator leaves it (a COMPLETED saga with its three
// steps), with a few sagas stuck in RUNNING among the oldest, as a console meets them after months of running.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "readmodel/listing_query.h"
#include "readmodel/tests/read_model_test_world.h"

namespace sagaflow::readmodel {
namespace {

using testing::At;
using testing::TimeAt;

constexpr size_t kPageRows = 50;
constexpr int64_t kSpacingMs = 10;  // between two sagas of the history
constexpr int64_t kShortHistory = 2'000;
constexpr int64_t kLongHistory = 100'000;

// What reading one page asked of SQLite.
struct PageWork {
  int64_t vm_steps = 0;
  int64_t full_scan_steps = 0;
  size_t rows = 0;
};

// One listing the console can ask for: a filter, a state or any, from the newest or after a position.
struct Listing {
  std::string name;
  SagaFilter filter;
  std::optional<std::string> state;
  std::optional<Position> after;
};

// Sagas h-<first> .. h-<last> (zero-padded, so their ids sort as they were made), COMPLETED, one every kSpacingMs
// from TimeAt(first * kSpacingMs), each with the order saga's three steps.
std::string HistorySql(int64_t first, int64_t last) {
  const std::string numbers = "WITH RECURSIVE n(i) AS (SELECT " + std::to_string(first) + " UNION ALL SELECT i + 1 " +
                              "FROM n WHERE i < " + std::to_string(last) + ") ";
  const std::string id = "printf('h-%09d', i)";
  const std::string created =
      "strftime('%Y-%m-%dT%H:%M:%fZ', 1577836800 + i * " + std::to_string(kSpacingMs) + " / 1000.0, 'unixepoch')";
  return numbers +
         "INSERT INTO sagas(saga_id, order_id, definition, definition_version, state, data, created_at, updated_at) "
         "SELECT " +
         id + ", printf('order-h%09d', i), 'order', 2, 'COMPLETED', '{}', " + created + ", " + created + " FROM n; " +
         numbers + "INSERT INTO saga_steps(saga_id, step, stage, status, attempts, updated_at) SELECT " + id +
         ", step.name, step.stage, 'SUCCEEDED', 1, '2020-01-01T00:00:00.000Z' FROM n, (SELECT 'payment' AS name, 0 "
         "AS stage UNION ALL SELECT 'inventory', 0 UNION ALL SELECT 'outcome', 1) AS step;";
}

// Every combination of the listing's filters, by state or not, from the top or from a cursor, with bounds that
// fall inside the short history (so both histories answer them with full pages).
std::vector<Listing> Listings() {
  std::vector<Listing> listings;
  const Position middle{At(kShortHistory / 2 * kSpacingMs), "h-000001000"};
  for (int mask = 0; mask < 32; ++mask) {
    Listing listing;
    if ((mask & 1) != 0) listing.filter.definition = "order", listing.name += "definition ";
    if ((mask & 2) != 0) listing.filter.created_from = TimeAt(100 * kSpacingMs), listing.name += "from ";
    if ((mask & 4) != 0) listing.filter.created_to = TimeAt(1'800 * kSpacingMs), listing.name += "to ";
    if ((mask & 8) != 0) listing.filter.correlation_id = "order-h000000700", listing.name += "correlation ";
    if ((mask & 16) != 0) listing.after = middle, listing.name += "cursor ";
    listings.push_back(listing);
    for (const char* state : {"COMPLETED", "RUNNING"}) {
      Listing by_state = listing;
      by_state.state = state;
      by_state.name += state;
      listings.push_back(by_state);
    }
  }
  return listings;
}

// Fifty times the sagas: a page whose work followed them would step about fifty times as often. Seeking a B-tree
// one level deeper is allowed for.
bool GrewWithTheHistory(const PageWork& before, const PageWork& after) {
  return after.vm_steps > before.vm_steps + before.vm_steps / 4 + 50;
}

// The counters of the one statement open on `db` (SQLiteCpp keeps its sqlite3_stmt to itself).
PageWork CountersOfTheOpenStatement(SQLite::Database& db, size_t rows) {
  sqlite3_stmt* statement = sqlite3_next_stmt(db.getHandle(), nullptr);
  EXPECT_NE(statement, nullptr);
  EXPECT_EQ(sqlite3_next_stmt(db.getHandle(), statement), nullptr) << "more than one statement is open";
  if (statement == nullptr) return {};
  return {sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_VM_STEP, 0),
          sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0), rows};
}

PageWork ReadPage(SQLite::Database& db, const Listing& listing) {
  auto select = OpenListingQuery(db, listing.filter, listing.state, listing.after);
  size_t rows = 0;
  while (rows <= kPageRows && select->executeStep()) ++rows;
  return CountersOfTheOpenStatement(db, rows);
}

std::vector<PageWork> ReadPages(const std::string& orchestrator_db) {
  SQLite::Database db(orchestrator_db, SQLite::OPEN_READONLY);
  std::vector<PageWork> pages;
  for (const Listing& listing : Listings()) pages.push_back(ReadPage(db, listing));
  return pages;
}

class ListingScaleTest : public testing::ReadModelTest {
 protected:
  void AddHistory(int64_t first, int64_t last) { ASSERT_TRUE(Exec("orchestrator.db", HistorySql(first, last)).ok()); }
  void AddStuck(const std::string& saga_id, int64_t at_ms) {
    AddSaga(
        {.saga_id = saga_id, .correlation_id = "order-" + saga_id, .created_at = At(at_ms), .updated_at = At(at_ms)});
    AddStep(saga_id, "payment", "RUNNING", 0, 0);
  }
  std::string OrchestratorDb() const { return (databases_.data_dir() / "orchestrator.db").string(); }
};

TEST_F(ListingScaleTest, APageCostsTheSameOverFiftyTimesTheHistory) {
  for (int i = 0; i < 5; ++i) AddStuck("stuck-" + std::to_string(i), (i * 300 + 5) * kSpacingMs);
  AddHistory(1, kShortHistory);
  const std::vector<PageWork> short_history = ReadPages(OrchestratorDb());
  AddHistory(kShortHistory + 1, kLongHistory);
  const std::vector<PageWork> long_history = ReadPages(OrchestratorDb());

  const std::vector<Listing> listings = Listings();
  ASSERT_EQ(short_history.size(), listings.size());
  for (size_t i = 0; i < listings.size(); ++i) {
    const PageWork& before = short_history[i];
    const PageWork& after = long_history[i];
    SCOPED_TRACE(listings[i].name);
    // A listing of everything walks an index from its end, which SQLite counts as a scan: never past one page.
    EXPECT_LE(after.full_scan_steps, static_cast<int64_t>(kPageRows) + 1) << "a page scans a table";
    // The same rows: every bound lies inside the short history, and a page from the top is full in both.
    EXPECT_EQ(after.rows, before.rows);
    EXPECT_FALSE(GrewWithTheHistory(before, after)) << "steps over " << kShortHistory << " sagas: " << before.vm_steps
                                                    << ", over " << kLongHistory << ": " << after.vm_steps;
  }
}

// The measure catches a page that walks the history: a listing in an order no index holds steps through every
// saga, and GrewWithTheHistory says so.
TEST_F(ListingScaleTest, TheMeasureCatchesAListingThatWalksTheHistory) {
  const auto walk = [this] {
    SQLite::Database db(OrchestratorDb(), SQLite::OPEN_READONLY);
    SQLite::Statement unindexed(db, "SELECT saga_id FROM sagas ORDER BY updated_at || '' DESC LIMIT 51");
    size_t rows = 0;
    while (unindexed.executeStep()) ++rows;
    return CountersOfTheOpenStatement(db, rows);
  };
  AddHistory(1, kShortHistory);
  const PageWork before = walk();
  AddHistory(kShortHistory + 1, kLongHistory);
  const PageWork after = walk();
  EXPECT_GT(after.full_scan_steps, 0);
  EXPECT_TRUE(GrewWithTheHistory(before, after)) << before.vm_steps << " -> " << after.vm_steps;
}

}  // namespace
}  // namespace sagaflow::readmodel

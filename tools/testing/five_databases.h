// FiveDatabases: the temporary $SAGAFLOW_HOME that the tests of the tools reading every service's database (sagactl,
// verify, the benchmark's history seeding) start from. Create makes <home>/data/ with each service's database as the
// manifest names it, migrated with the manifest's schema, and keeps a connection to each open so that a test changes
// them with plain SQL (Exec). FillConsistentWorld adds the two finished orders of ConsistentWorld(), against which
// a test breaks one thing at a time. The directory and everything in it go with the object. ConsistentWorldTest is
// the fixture of the tests that start from that world. Built only with the tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "common/clock.h"
#include "common/status.h"
#include "storage/database.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::tools::testing {

// Two finished orders, consistent across the five databases (with ConsistentWorldStock() as the stock file), SQL by
// database file: order-1 COMPLETED (P001 x2 at 12.50 + P002 x1 at 5.00 = 30.00), charged, reserved, its stock
// taken; order-2 CANCELLED (payment_declined) for P001 x1, its payment DECLINED, its reservation RELEASED. Each has
// its history, its saga with both steps and their last replies, and its notifications; each outbox holds the
// message its service published about order-1 (as wire/ writes it), published. Every time is far in the past.
const std::map<std::string, std::string>& ConsistentWorld();

// The initial stock ConsistentWorld() was taken from: P001 100, P002 50.
const std::map<std::string, int64_t>& ConsistentWorldStock();

class FiveDatabases {
 public:
  explicit FiveDatabases(std::string_view prefix = "sagaflow-five-databases");

  // Makes <home>/data/ and in it each service's database, migrated as of `now`, and keeps each open.
  Status Create(TimePoint now);
  // Runs `sql` (one or more statements) in one write on the open database `db_file` ("orders.db").
  Status Exec(std::string_view db_file, const std::string& sql);
  // Exec of each database's part of ConsistentWorld().
  Status FillConsistentWorld();
  // Closes every connection, so that whatever opens the files next finds them as a restarted process would.
  void CloseAll();
  // Closes the database and deletes its files, as if that service had never run under this home.
  void Remove(std::string_view db_file);

  // Empty if the temporary directory could not be made.
  const std::filesystem::path& home() const { return home_.path(); }
  std::filesystem::path data_dir() const { return home_ / "data"; }

 private:
  storage::scratch::TempDir home_;
  std::map<std::string, std::unique_ptr<storage::Database>, std::less<>> open_;  // by database file
};

// Five databases holding ConsistentWorld(), made anew for each test; SetUp fails the test fatally if it cannot make
// them. A subclass's SetUp calls this one first (under ASSERT_NO_FATAL_FAILURE).
class ConsistentWorldTest : public ::testing::Test {
 protected:
  explicit ConsistentWorldTest(std::string_view prefix) : databases_(prefix) {}

  void SetUp() override;
  // FiveDatabases::Exec that fails the test, naming the database, if the SQL fails.
  Status Exec(const std::string& db_file, const std::string& sql);

  FiveDatabases databases_;
};

}  // namespace sagaflow::tools::testing

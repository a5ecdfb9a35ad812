// ServiceTest: the fixture a unit test of a service's message handling starts from, built the way the runtime
// builds a service: a temporary directory, the service's database migrated (its schema from the manifest), its
// outbox, and a Consumer whose fatal path fails the test (unless the test expects one); a manual clock, seeded
// randomness and metrics to look at. A test's SetUp calls SetUpService and then builds its own parts on these; its own
// members, declared after, are destroyed first. Built only with the tests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "common/clock.h"
#include "common/metrics.h"
#include "common/random.h"
#include "common/wake_signal.h"
#include "messaging/consumer.h"
#include "storage/database.h"
#include "storage/outbox.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::runtime::testing {

class ServiceTest : public ::testing::Test {
 protected:
  explicit ServiceTest(uint64_t seed = 7) : random_(seed) {}

  // Opens <dir>/<db_file> with `durability`, applies the schema `schema` ("payment"), and builds the outbox and
  // the consumer. Fails the test (fatally) if any of it fails.
  void SetUpService(std::string_view schema, std::string_view db_file,
                    storage::Durability durability = storage::Durability::kNormal);

  // Opens <dir>/<db_file>, which the test made beforehand (e.g. migrated and filled with history), as a restarted
  // process would: a connection that has prepared no statement yet. Builds the outbox and the consumer on it.
  void OpenService(std::string_view db_file, storage::Durability durability = storage::Durability::kNormal);

  // Destroys the consumer, outbox and database, in that order: what a process's death leaves is the file. The
  // test destroys its own parts built on them first.
  void TearDownService();

  // How many rows `table` holds; -1, failing the test, if it cannot be read.
  int64_t CountRows(const std::string& table);

  // The reasons the consumer gave up on, in order. A test that provokes one sets fatal_expected_ first;
  // otherwise each fails the test.
  std::vector<std::string> fatal_reasons_;
  bool fatal_expected_ = false;
  // The handler that records them, for a test's own second consumer (a restarted process's).
  messaging::Consumer::FatalHandler RecordFatal();

  storage::scratch::TempDir dir_{"sagaflow-service-test"};
  ManualClock clock_;
  SeededRandom random_;
  Metrics metrics_;
  WakeSignal new_rows_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::Outbox> outbox_;
  std::unique_ptr<messaging::Consumer> consumer_;
};

}  // namespace sagaflow::runtime::testing

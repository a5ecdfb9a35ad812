#include "runtime/testing/service_test.h"

#include <optional>
#include <string>

#include "common/logging.h"
#include "migrations/service_schema.h"

namespace sagaflow::runtime::testing {

void ServiceTest::SetUpService(std::string_view schema, std::string_view db_file, storage::Durability durability) {
  ASSERT_NO_FATAL_FAILURE(OpenService(db_file, durability));
  const Status migrated = migrations::MigrateService(*db_, schema, clock_.Now());
  ASSERT_TRUE(migrated.ok()) << migrated.ToString();
}

void ServiceTest::OpenService(std::string_view db_file, storage::Durability durability) {
  ASSERT_FALSE(dir_.path().empty());
  auto db = storage::Database::Open({(dir_ / db_file).string(), durability});
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  db_ = std::move(*db);
  outbox_ = std::make_unique<storage::Outbox>(*db_, clock_, new_rows_);
  consumer_ =
      std::make_unique<messaging::Consumer>(*db_, *outbox_, clock_, random_, MakeNullLogger(), metrics_, RecordFatal());
}

messaging::Consumer::FatalHandler ServiceTest::RecordFatal() {
  return [this](const std::string& reason) {
    fatal_reasons_.push_back(reason);
    if (!fatal_expected_) ADD_FAILURE() << "on_fatal: " << reason;
  };
}

int64_t ServiceTest::CountRows(const std::string& table) {
  const std::optional<int64_t> count = storage::scratch::QueryInt(*db_, "SELECT COUNT(*) FROM " + table);
  EXPECT_TRUE(count.has_value()) << "cannot count the rows of " << table;
  return count.value_or(-1);
}

void ServiceTest::TearDownService() {
  consumer_.reset();
  outbox_.reset();
  db_.reset();
}

}  // namespace sagaflow::runtime::testing

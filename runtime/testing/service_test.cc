#include "runtime/testing/service_test.h"

#include <string>

#include "common/logging.h"
#include "migrations/service_schema.h"

namespace sagaflow::runtime::testing {

void ServiceTest::SetUpService(std::string_view schema, std::string_view db_file, storage::Durability durability) {
  ASSERT_FALSE(dir_.path().empty());
  auto db = storage::Database::Open({(dir_ / db_file).string(), durability});
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  db_ = std::move(*db);
  const Status migrated = migrations::MigrateService(*db_, schema, clock_.Now());
  ASSERT_TRUE(migrated.ok()) << migrated.ToString();
  outbox_ = std::make_unique<storage::Outbox>(*db_, clock_, new_rows_);
  consumer_ =
      std::make_unique<messaging::Consumer>(*db_, *outbox_, clock_, random_, MakeNullLogger(), metrics_,
                                            [](const std::string& reason) { ADD_FAILURE() << "on_fatal: " << reason; });
}

}  // namespace sagaflow::runtime::testing

// scratch: support for tests that need real SQLite files: a temporary directory removed with everything in
// it, a database migrated for one service (optionally filled and closed, so that the next open is a
// restarted process's connection with no prepared statements), and a readable list of the statements
// that walked a whole table or index (Database::FullScanSteps), for the tests that the cost of periodic
// work does not grow with history. Built only with the tests.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "storage/database.h"

namespace sagaflow::storage::scratch {

// A fresh directory under the system's temporary directory, named after `prefix`; empty path() if it
// could not be made.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "sagaflow-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Opens (creating) `file` with synchronous=NORMAL, which tests need no more than, and applies every
// migration of `service` ("order", "orchestrator", ...).
Result<std::unique_ptr<Database>> OpenMigrated(const std::filesystem::path& file, std::string_view service,
                                               TimePoint now);

// Creates `file` migrated for `service`, runs `fill` in one write, and closes it.
Status CreateMigrated(const std::filesystem::path& file, std::string_view service, TimePoint now,
                      const std::function<void(UnitOfWork&)>& fill);

// One line per statement: "<steps> steps: <sql>", for a failure message.
std::string DescribeScans(const std::vector<std::pair<std::string, int>>& scans);

}  // namespace sagaflow::storage::scratch

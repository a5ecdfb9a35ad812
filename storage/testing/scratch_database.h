// scratch: support for tests that need real SQLite files: a temporary directory removed with everything in
// it, a database migrated for one service (optionally filled and closed, so that the next open is a
// restarted process's connection with no prepared statements), and a readable list of the statements
// that walked a whole table or index (Database::FullScanSteps), for the tests that the cost of periodic
// work does not grow with history. Built only with the tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
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

// Opens (creating) `file` and applies every migration of `service` ("order", "orchestrator", ...). NORMAL
// durability unless the test counts fsyncs: no other test needs them.
Result<std::unique_ptr<Database>> OpenMigrated(const std::filesystem::path& file, std::string_view service,
                                               TimePoint now, Durability durability = Durability::kNormal);

// Creates `file` migrated for `service`, runs `fill` in one write, and closes it.
Status CreateMigrated(const std::filesystem::path& file, std::string_view service, TimePoint now,
                      const std::function<void(UnitOfWork&)>& fill);

// The first column of the first row `sql` returns, with `args` bound to its parameters in order; nullopt when
// there is no row, the value is NULL or the query fails (an assertion on the value then says so). For tests that
// look at what their actions left in a database.
template <typename... Args>
std::optional<int64_t> QueryInt(Database& db, const std::string& sql, const Args&... args);
template <typename... Args>
std::optional<std::string> QueryText(Database& db, const std::string& sql, const Args&... args);

// One line per statement: "<steps> steps: <sql>", for a failure message.
std::string DescribeScans(const std::vector<std::pair<std::string, int>>& scans);

namespace internal {
template <typename Value, typename... Args>
std::optional<Value> QueryValue(Database& db, const std::string& sql, const Args&... args) {
  std::optional<Value> value;
  const Status read = db.Read([&](Sql& handle) {
    auto& select = handle.Prepare(sql);
    int index = 0;
    (select.bind(++index, args), ...);
    if (!select.executeStep() || select.getColumn(0).isNull()) return Status::Ok();
    if constexpr (std::is_same_v<Value, int64_t>) {
      value = select.getColumn(0).getInt64();
    } else {
      value = select.getColumn(0).getString();
    }
    return Status::Ok();
  });
  return read.ok() ? value : std::nullopt;
}
}  // namespace internal

template <typename... Args>
std::optional<int64_t> QueryInt(Database& db, const std::string& sql, const Args&... args) {
  return internal::QueryValue<int64_t>(db, sql, args...);
}
template <typename... Args>
std::optional<std::string> QueryText(Database& db, const std::string& sql, const Args&... args) {
  return internal::QueryValue<std::string>(db, sql, args...);
}

}  // namespace sagaflow::storage::scratch

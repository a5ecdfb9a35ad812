#include "readmodel/database_access.h"

#include <filesystem>

#include "manifest/service_manifest.h"

namespace sagaflow::readmodel {

namespace {

// Long enough to ride out a service's checkpoint; a reader never holds a lock that a writer waits for.
constexpr int kBusyTimeoutMs = 5000;

}  // namespace

std::unique_ptr<SQLite::Database> OpenReadOnly(const std::string& home, const std::string& file) {
  const std::string path = home + "/data/" + file;
  if (!std::filesystem::exists(path)) {
    throw StatusError(Status::FailedPrecondition("database " + path +
                                                 " does not exist (has that service run under this SAGAFLOW_HOME?)"));
  }
  return std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY, kBusyTimeoutMs);
}

std::string DatabaseOf(const std::string& service) {
  return ServiceNamed(service).db_file;
}

std::string TextOrEmpty(SQLite::Statement& row, int column) {
  return row.getColumn(column).isNull() ? "" : row.getColumn(column).getString();
}

std::optional<TimePoint> TimeOrNone(SQLite::Statement& row, int column) {
  if (row.getColumn(column).isNull()) return std::nullopt;
  return FromEpochMillis(row.getColumn(column).getInt64());
}

std::optional<int64_t> IntegerOrNone(SQLite::Statement& row, int column) {
  if (row.getColumn(column).isNull()) return std::nullopt;
  return row.getColumn(column).getInt64();
}

}  // namespace sagaflow::readmodel

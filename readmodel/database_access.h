// How the read model touches a database: opening <home>/data/<file> read-only, turning the exceptions of SQLiteCpp
// (and the read model's own StatusError) into a Result at each public call, and reading columns that may be NULL.
// Internal to readmodel.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "common/clock.h"
#include "common/status.h"

namespace sagaflow::readmodel {

// Thrown inside the read model to end a call with `status`; Guarded returns it.
class StatusError : public std::runtime_error {
 public:
  explicit StatusError(Status status) : std::runtime_error(status.message()), status_(std::move(status)) {}
  const Status& status() const { return status_; }

 private:
  Status status_;
};

// Runs `read` and returns what it returns, or the Status of what it threw: a StatusError's own, IoError with the
// message of anything else (SQLite's).
template <typename Read>
auto Guarded(Read&& read) -> Result<decltype(read())> {
  try {
    return read();
  } catch (const StatusError& error) {
    return error.status();
  } catch (const std::exception& error) {
    return Status::IoError(error.what());
  }
}

// <home>/data/<file>, read-only; StatusError(FailedPrecondition) naming it if it does not exist.
std::unique_ptr<SQLite::Database> OpenReadOnly(const std::string& home, const std::string& file);

// The database file of the service `name` ("order-service"), from the manifest.
std::string DatabaseOf(const std::string& service);

// The column as text, "" for NULL.
std::string TextOrEmpty(SQLite::Statement& row, int column);

// The column, epoch milliseconds, as a time; none for NULL.
std::optional<TimePoint> TimeOrNone(SQLite::Statement& row, int column);

// The column as an integer; none for NULL.
std::optional<int64_t> IntegerOrNone(SQLite::Statement& row, int column);

}  // namespace sagaflow::readmodel

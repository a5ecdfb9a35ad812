// What every sagactl command runs with: the settings the command line chose (Context), the error that ends a
// command with its exit code and one line (Failure), the services' database files from the manifest, and the
// helpers that turn durations, ports, columns and times into what the commands print. Internal to tools/sagactl.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"

namespace sagaflow::sagactl {

// An error that ends the command with its exit code and a one-line message.
struct Failure : std::runtime_error {
  Failure(int code, const std::string& message) : std::runtime_error(message), exit_code(code) {}
  int exit_code;
};

struct Context {
  std::string home;
  bool json = false;
  int http_port = 5000;
  std::string stock_file;
  std::ostream* out = nullptr;
  TimePoint now{};

  // <home>/data/<file>, read-only; Failure (exit 2) naming it if it does not exist.
  std::unique_ptr<SQLite::Database> Open(const std::string& file) const;
};

// Each service's database file, from the manifest.
std::string DatabaseOf(std::string_view service);

// (service, database file) for each service, in the manifest's order.
std::vector<std::pair<std::string, std::string>> ServiceDatabases();

// "30s", "5m", "2h", "1500ms" or a bare number of seconds; nullopt if malformed, negative or too large.
std::optional<Millis> ParseDuration(const std::string& text);

// The order service's port; the orchestrator's admin port (what retry calls) is above it (the manifest's offset).
std::optional<int> ParsePort(const std::string& text);

// The column as text, "" for NULL.
std::string Text(SQLite::Statement& row, int column);

// How long before `context.now` the ISO 8601 time `iso` was, as "42s", "5m" or "3h"; "?" if it is not a time.
std::string Age(const Context& context, const std::string& iso);

// The column, epoch milliseconds, as an ISO 8601 time; "" for NULL.
std::string Deadline(SQLite::Statement& row, int column);

}  // namespace sagaflow::sagactl

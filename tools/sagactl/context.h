// What every sagactl command runs with: the settings the command line chose (Context), the read model of its home
// (readmodel/read_model.h, where every query of the databases lives), the error that ends a command with its exit
// code and one line (Failure, also made from the read model's errors by Checked), and the helpers that turn
// durations, ports and times into what the commands print. Internal to tools/sagactl.
#pragma once

#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>

#include "common/clock.h"
#include "common/status.h"
#include "readmodel/read_model.h"

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

  // The databases of `home`, read-only.
  readmodel::ReadModel read_model() const { return readmodel::ReadModel(home); }
};

// The read model's answer, or Failure with its message: exit 1 for NotFound (the answer is "no"), 2 for any other
// error (a missing database, SQLite's).
template <typename T>
T Checked(Result<T> result) {
  if (!result.ok()) throw Failure(result.status().IsNotFound() ? 1 : 2, result.status().message());
  return std::move(result).value();
}

// "30s", "5m", "2h", "1500ms" or a bare number of seconds; nullopt if malformed, negative or too large.
std::optional<Millis> ParseDuration(const std::string& text);

// The order service's port; the orchestrator's admin port (what retry calls) is above it (the manifest's offset).
std::optional<int> ParsePort(const std::string& text);

// How long before `context.now` the ISO 8601 time `iso` was, as "42s", "5m" or "3h"; "?" if it is not a time.
std::string Age(const Context& context, const std::string& iso);

}  // namespace sagaflow::sagactl

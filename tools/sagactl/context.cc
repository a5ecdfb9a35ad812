#include "tools/sagactl/context.h"

#include <charconv>
#include <filesystem>
#include <limits>

#include "common/time_format.h"
#include "manifest/service_manifest.h"

namespace sagaflow::sagactl {

std::unique_ptr<SQLite::Database> Context::Open(const std::string& file) const {
  const std::string path = home + "/data/" + file;
  if (!std::filesystem::exists(path)) {
    throw Failure(2, "database " + path + " does not exist (has that service run under this SAGAFLOW_HOME?)");
  }
  return std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY, 5000);
}

std::string DatabaseOf(std::string_view service) {
  return ServiceNamed(service).db_file;
}

std::vector<std::pair<std::string, std::string>> ServiceDatabases() {
  std::vector<std::pair<std::string, std::string>> databases;
  for (const auto& service : SagaflowServices()) databases.emplace_back(service.name, service.db_file);
  return databases;
}

std::optional<Millis> ParseDuration(const std::string& text) {
  long long value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value < 0) return std::nullopt;
  const std::string unit(ptr, text.data() + text.size());
  long long factor = 0;
  if (unit == "ms") factor = 1;
  if (unit == "s" || unit.empty()) factor = 1000;
  if (unit == "m") factor = 60'000;
  if (unit == "h") factor = 3'600'000;
  if (factor == 0 || value > std::numeric_limits<long long>::max() / factor) return std::nullopt;
  return Millis(value * factor);
}

std::optional<int> ParsePort(const std::string& text) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 1 || value > 65534) return std::nullopt;
  return value;
}

std::string Text(SQLite::Statement& row, int column) {
  return row.getColumn(column).isNull() ? "" : row.getColumn(column).getString();
}

std::string Age(const Context& context, const std::string& iso) {
  auto at = ParseIso8601(iso);
  if (!at.ok()) return "?";
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(context.now - *at).count();
  if (seconds < 120) return std::to_string(seconds) + "s";
  if (seconds < 7200) return std::to_string(seconds / 60) + "m";
  return std::to_string(seconds / 3600) + "h";
}

std::string Deadline(SQLite::Statement& row, int column) {
  return row.getColumn(column).isNull() ? "" : FormatIso8601(FromEpochMillis(row.getColumn(column).getInt64()));
}

}  // namespace sagaflow::sagactl

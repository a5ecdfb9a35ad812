// ReadModel's calls about each service's queues: `sagactl outbox` (the backlog of every service) and the dead
// letters of one service, newest first by id, one page at a time (`sagactl dlq` reads them all).
#include <charconv>
#include <string>

#include "manifest/service_manifest.h"
#include "readmodel/database_access.h"
#include "readmodel/paging.h"
#include "readmodel/queue_reads.h"
#include "readmodel/read_model.h"

namespace sagaflow::readmodel {

namespace {

// The id of the last dead letter the page before showed; none for the first page.
Result<std::optional<int64_t>> ParseDeadLetterCursor(const std::string& cursor) {
  if (cursor.empty()) return std::optional<int64_t>();
  if (auto parts = DecodeCursor(cursor, 1)) {
    const std::string& text = parts->front();
    int64_t id = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error == std::errc() && end == text.data() + text.size() && id > 0) return std::optional<int64_t>(id);
  }
  return Status::InvalidArgument("malformed cursor");
}

DeadLetter ReadDeadLetter(SQLite::Statement& select, const std::string& service) {
  return DeadLetter{service,
                    select.getColumn(0).getInt64(),
                    select.getColumn(1).getString(),
                    select.getColumn(2).getString(),
                    select.getColumn(3).getString(),
                    select.getColumn(4).getString()};
}

}  // namespace

OutboxBacklog ReadOutboxBacklog(SQLite::Database& db, const std::string& service) {
  SQLite::Statement select(db, "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE published_at IS NULL");
  select.executeStep();
  return OutboxBacklog{service, select.getColumn(0).getInt64(), TextOrEmpty(select, 1)};
}

int64_t CountDeadLetters(SQLite::Database& db) {
  SQLite::Statement select(db, "SELECT COUNT(*) FROM dead_letters");
  select.executeStep();
  return select.getColumn(0).getInt64();
}

Result<std::vector<OutboxBacklog>> ReadModel::OutboxBacklogs() const {
  return Guarded([&] {
    std::vector<OutboxBacklog> backlogs;
    for (const auto& service : SagaflowServices()) {
      auto db = OpenReadOnly(home_, service.db_file);
      backlogs.push_back(ReadOutboxBacklog(*db, service.name));
    }
    return backlogs;
  });
}

Result<DeadLetterPage> ReadModel::DeadLetters(std::string_view service, const PageRequest& page) const {
  const ServiceManifest* manifest = FindService(service);
  if (manifest == nullptr) return Status::InvalidArgument("no service named " + std::string(service));
  if (Status size = CheckPageSize(page.size); !size.ok()) return size;
  auto before = ParseDeadLetterCursor(page.cursor);
  if (!before.ok()) return before.status();
  return Guarded([&] {
    auto db = OpenReadOnly(home_, manifest->db_file);
    SQLite::Statement select(*db, std::string("SELECT id, received_at, topic, error, payload FROM dead_letters") +
                                      (*before ? " WHERE id < ?" : "") + " ORDER BY id DESC LIMIT ?");
    if (*before) select.bind(1, **before);
    select.bind(*before ? 2 : 1, page.size + 1);
    DeadLetterPage result;
    while (select.executeStep()) result.rows.push_back(ReadDeadLetter(select, manifest->name));
    if (result.rows.size() > static_cast<size_t>(page.size)) {
      result.rows.pop_back();
      result.next_cursor = EncodeCursor({std::to_string(result.rows.back().id)});
    }
    return result;
  });
}

}  // namespace sagaflow::readmodel

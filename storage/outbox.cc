#include "storage/outbox.h"

#include "common/time_format.h"

namespace sagaflow::storage {

int64_t Outbox::Append(UnitOfWork& uow, std::string_view topic, std::string_view payload) {
  auto& insert = uow.Prepare("INSERT INTO outbox(topic, payload, created_at, published_at) VALUES (?, ?, ?, NULL)");
  insert.bind(1, std::string(topic));
  insert.bind(2, std::string(payload));
  insert.bind(3, FormatIso8601(clock_.Now()));
  insert.exec();
  uow.AfterCommit([this] { new_rows_.Notify(); });
  return uow.LastInsertId();
}

std::optional<OutboxRowTimes> Outbox::Times(Sql& sql, int64_t id) {
  auto& select = sql.Prepare("SELECT created_at, published_at FROM outbox WHERE id = ?");
  select.bind(1, id);
  if (!select.executeStep()) return std::nullopt;
  OutboxRowTimes times;
  auto created = ParseIso8601(select.getColumn(0).getString());
  if (created.ok()) times.created_at = *created;
  if (!select.getColumn(1).isNull()) {
    auto published = ParseIso8601(select.getColumn(1).getString());
    times.published_at = published.ok() ? *published : times.created_at;
  }
  return times;
}

Result<std::vector<OutboxRow>> Outbox::LoadUnpublished(int limit) {
  std::vector<OutboxRow> rows;
  Status status = db_.Read([&](Sql& sql) {
    auto& select = sql.Prepare("SELECT id, topic, payload FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ?");
    select.bind(1, limit);
    while (select.executeStep()) {
      rows.push_back(
          {select.getColumn(0).getInt64(), select.getColumn(1).getString(), select.getColumn(2).getString()});
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return rows;
}

Status Outbox::MarkPublished(const std::vector<int64_t>& ids) {
  if (ids.empty()) return Status::Ok();
  const std::string now = FormatIso8601(clock_.Now());
  // A mark lost in a power loss only publishes the row again, which receivers absorb: no fsync waits for it.
  return db_.Write([&](UnitOfWork& uow) {
    auto& update = uow.Prepare("UPDATE outbox SET published_at = ? WHERE id = ? AND published_at IS NULL");
    for (int64_t id : ids) {
      update.reset();
      update.bind(1, now);
      update.bind(2, id);
      update.exec();
    }
    return Status::Ok();
  });
}

Result<int64_t> Outbox::CountUnpublished() {
  int64_t count = 0;
  Status status = db_.Read([&](Sql& sql) {
    auto& select = sql.Prepare("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL");
    if (select.executeStep()) count = select.getColumn(0).getInt64();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return count;
}

Result<int64_t> Outbox::PrunePublished(TimePoint cutoff, int limit) {
  int64_t deleted = 0;
  Status status = db_.Write([&](UnitOfWork& uow) {
    auto& del = uow.Prepare(
        "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE published_at IS NOT NULL AND published_at < ? "
        "ORDER BY id LIMIT ?)");
    del.bind(1, FormatIso8601(cutoff));
    del.bind(2, limit);
    deleted = del.exec();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return deleted;
}

RetentionRule Outbox::PublishedRetention() {
  // Published rows only serve an operator's look at what went out lately; unpublished rows are never deleted.
  return {.table = "outbox", .keep_for = std::chrono::hours(24), .prune = [this](TimePoint cutoff, int limit) {
            return PrunePublished(cutoff, limit);
          }};
}

}  // namespace sagaflow::storage

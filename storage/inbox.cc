#include "storage/inbox.h"

namespace sagaflow::storage {

ClaimResult ClaimInbox(UnitOfWork& uow, std::string_view message_id, TimePoint now) {
  auto& insert = uow.Prepare("INSERT OR IGNORE INTO inbox(message_id, received_at) VALUES (?, ?)");
  insert.bind(1, std::string(message_id));
  insert.bind(2, ToEpochMillis(now));
  return insert.exec() == 1 ? ClaimResult::kNew : ClaimResult::kDuplicate;
}

Result<int64_t> PruneInbox(Database& db, TimePoint cutoff, int limit) {
  int64_t deleted = 0;
  Status status = db.Write([&](UnitOfWork& uow) {
    auto& del = uow.Prepare(
        "DELETE FROM inbox WHERE message_id IN (SELECT message_id FROM inbox WHERE received_at < ? LIMIT ?)");
    del.bind(1, ToEpochMillis(cutoff));
    del.bind(2, limit);
    deleted = del.exec();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return deleted;
}

RetentionRule InboxRetention(Database& db) {
  // A redelivery older than a day is not expected from the broker; domain idempotency keys (payments per order,
  // command replies, notifications per kind) still catch one.
  return {.table = "inbox", .keep_for = std::chrono::hours(24), .prune = [&db](TimePoint cutoff, int limit) {
            return PruneInbox(db, cutoff, limit);
          }};
}

}  // namespace sagaflow::storage

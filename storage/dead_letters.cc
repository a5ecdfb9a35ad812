#include "storage/dead_letters.h"

#include "common/time_format.h"

namespace sagaflow::storage {

std::string DeadLetterCopy(std::string_view payload) {
  if (payload.size() <= kMaxDeadLetterCopyBytes) return std::string(payload);
  size_t cut = kMaxDeadLetterCopyBytes;
  // Back up over continuation bytes so the copy does not end inside a character.
  while (cut > 0 && (static_cast<unsigned char>(payload[cut]) & 0xC0) == 0x80) --cut;
  return std::string(payload.substr(0, cut)) + "... [truncated: " + std::to_string(payload.size()) + " bytes]";
}

void RecordDeadLetter(UnitOfWork& uow, std::string_view topic, std::string_view payload_copy, std::string_view error,
                      std::string_view received_at) {
  auto& insert = uow.Prepare("INSERT INTO dead_letters(topic, payload, error, received_at) VALUES (?, ?, ?, ?)");
  insert.bind(1, std::string(topic));
  insert.bind(2, std::string(payload_copy));
  insert.bind(3, std::string(error));
  insert.bind(4, std::string(received_at));
  insert.exec();
}

Result<int64_t> PruneDeadLetters(Database& db, TimePoint cutoff, int limit) {
  int64_t deleted = 0;
  Status status = db.Write([&](UnitOfWork& uow) {
    // Rows are appended in time order, so the oldest are the lowest ids: look only at the first
    // `limit` of them (a bounded walk of the primary key, no index on received_at needed) and delete
    // up to the newest of those that is past the window.
    auto& del = uow.Prepare(
        "DELETE FROM dead_letters WHERE id <= (SELECT MAX(id) FROM (SELECT id, received_at FROM dead_letters "
        "ORDER BY id LIMIT ?) WHERE received_at < ?)");
    del.bind(1, limit);
    del.bind(2, FormatIso8601(cutoff));
    deleted = del.exec();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return deleted;
}

RetentionRule DeadLetterRetention(Database& db) {
  // Long enough for an operator to look at a week's rejects; short enough that a flood of bad messages cannot
  // grow the database for ever.
  return {.table = "dead_letters", .keep_for = std::chrono::hours(24 * 7), .prune = [&db](TimePoint cutoff, int limit) {
            return PruneDeadLetters(db, cutoff, limit);
          }};
}

}  // namespace sagaflow::storage

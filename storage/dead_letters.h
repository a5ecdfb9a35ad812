// DeadLetters: the dead_letters table every service has, where messages it could not accept are kept
// for an operator (sagactl dlq) until a retention window has passed.
//
// A dead letter keeps a bounded copy of the payload (DeadLetterCopy): messages come from other
// processes, and one oversized or hostile message must not grow the database, or the outbox that
// republishes it on deadletter/<topic>, by more than a few kilobytes.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "storage/database.h"
#include "storage/retention.h"

namespace sagaflow::storage {

inline constexpr size_t kMaxDeadLetterCopyBytes = 4 * 1024;

// `payload` itself if it is at most kMaxDeadLetterCopyBytes, else its first bytes (cut at a UTF-8
// character boundary) followed by a note of its full size.
std::string DeadLetterCopy(std::string_view payload);

void RecordDeadLetter(UnitOfWork& uow, std::string_view topic, std::string_view payload_copy, std::string_view error,
                      std::string_view received_at);

// Deletes up to `limit` of the oldest dead letters received before `cutoff`; returns how many.
Result<int64_t> PruneDeadLetters(Database& db, TimePoint cutoff, int limit);
// For the clean-up task: dead letters are kept a week.
RetentionRule DeadLetterRetention(Database& db);

}  // namespace sagaflow::storage

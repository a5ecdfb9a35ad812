// Inbox: at-most-once processing of a message id, decided inside the handler's own transaction.
//
// Claim inserts (message_id) into inbox(message_id, received_at); if the row exists the message was
// handled before and the caller skips it. Because the claim commits or rolls back with the handler's
// effects, a crash between them cannot mark a message handled without its effects. Old claims are
// pruned after a retention window (a redelivery older than that is caught by domain idempotency keys).
#pragma once

#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "storage/database.h"
#include "storage/retention.h"

namespace sagaflow::storage {

enum class ClaimResult { kNew, kDuplicate };

ClaimResult ClaimInbox(UnitOfWork& uow, std::string_view message_id, TimePoint now);
Result<int64_t> PruneInbox(Database& db, TimePoint cutoff, int limit);
// For the clean-up task: claims are kept a day.
RetentionRule InboxRetention(Database& db);

}  // namespace sagaflow::storage

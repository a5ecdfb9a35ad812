// The read model's records about each service's queues (outbox backlog, dead letters), the saga definitions the
// orchestrator has run, and the overview. Plain values; strings from the databases are as stored (untrusted).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "orchestrator/definitions/definition_versions.h"

namespace sagaflow::readmodel {

// One service's unpublished outbox rows.
struct OutboxBacklog {
  std::string service;
  int64_t unpublished = 0;
  std::string oldest_created_at;  // "" when nothing waits
};

struct DeadLetter {
  std::string service;
  int64_t id = 0;
  std::string received_at;
  std::string topic;
  std::string error;
  std::string payload;  // the copy the service kept (at most 4 KiB, storage/dead_letters.h)
};

struct DeadLetterPage {
  std::vector<DeadLetter> rows;  // newest first (by id)
  std::string next_cursor;       // empty on the last page
};

// What a stored definition version is to the orchestrator now.
enum class VersionRole {
  kCurrent,   // new sagas start on it
  kIdle,      // kept; nothing runs on it
  kOrphaned,  // its file left the folder; its sagas run on the stored copy
  kReplaced   // a newer version is current; its sagas finish on the stored copy
};

// The operator's sentence for a role ("new sagas start on it").
std::string_view Describe(VersionRole role);

struct DefinitionVersion {
  definitions::StoredDefinition stored;
  int64_t running = 0;  // sagas begun on it that the engine may still act on (store::ActiveSagasByVersion)
  VersionRole role = VersionRole::kIdle;
};

// One service's health in the overview.
struct ServiceOverview {
  std::string service;
  int64_t unpublished = 0;
  std::string oldest_unpublished_at;             // "" when nothing waits
  std::optional<Millis> oldest_unpublished_age;  // now minus that, if it is a time
  int64_t dead_letters = 0;
};

// Counts at most this many stuck sagas, and as many orders without a saga: beyond it the console says "over".
inline constexpr int64_t kOverviewCountLimit = 1000;

struct Overview {
  int64_t running = 0;
  int64_t compensating = 0;
  int64_t failed = 0;
  int64_t stuck = 0;                      // sagas nothing will move (the rule of `sagactl stuck`), at most the limit
  int64_t orders_without_saga = 0;        // as `sagactl stuck` lists them, at most the limit
  bool counts_limited = false;            // stuck or orders_without_saga reached kOverviewCountLimit
  std::vector<ServiceOverview> services;  // the manifest's order
};

}  // namespace sagaflow::readmodel

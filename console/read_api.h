// ReadApi: the console's read-only answers that come from the databases, through the read model shared with
// sagactl (readmodel/): GET /api/sagas (filters and keyset pages), /api/saga (one saga, its steps, why it waits, its
// timeline and, for an order, what the other services hold), /api/dead-letters, and the saga and per-service counts
// of the overview. Every call opens <home>/data/*.db read-only for itself, so HTTP threads share nothing.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "http/http_types.h"

namespace sagaflow::console {

struct ServiceCounts {
  int64_t outbox_backlog = 0;
  std::optional<int64_t> oldest_unpublished_ms;  // nullopt: nothing waits
  int64_t dead_letters = 0;
};

struct OverviewCounts {
  int64_t running = 0;
  int64_t compensating = 0;
  int64_t stuck = 0;
  int64_t failed = 0;
  std::map<std::string, ServiceCounts> services;  // by service name
};

class ReadApi {
 public:
  ReadApi(std::string home, const Clock& clock) : home_(std::move(home)), clock_(clock) {}

  http::HttpResponse Sagas(const http::HttpRequest& request) const;
  http::HttpResponse Saga(const http::HttpRequest& request) const;
  http::HttpResponse DeadLetters(const http::HttpRequest& request) const;
  Result<OverviewCounts> Counts() const;

 private:
  const std::string home_;
  const Clock& clock_;
};

}  // namespace sagaflow::console

// ServiceScraper: reads every service's /metrics (the manifest's five, each on SAGAFLOW_HTTP_PORT + its offset) and
// keeps what the overview shows of each: whether it answers, whether it is connected to the broker, its outbox
// backlog; the orchestrator's saga counters go on to SagaRates.
//
// ScrapeAll is one pass of a PeriodicTask. A service that does not answer within the fetch's own time limit (a
// frozen process accepts connections and never replies) is shown as not answering, with the time it last did;
// the others are still read in the same pass. Thread-safe: the task scrapes, HTTP threads read.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "console/saga_rates.h"

namespace sagaflow::console {

struct ServiceStatus {
  std::string name;
  int port = 0;
  bool answering = false;
  bool broker_connected = false;
  double outbox_backlog = 0;
  std::optional<TimePoint> last_answer;  // nullopt: never since the console started
};

class ServiceScraper {
 public:
  // The body of GET /metrics on `port`, or nullopt if it did not answer 200 in time.
  using Fetch = std::function<std::optional<std::string>(int port)>;

  ServiceScraper(int base_port, const Clock& clock, Fetch fetch, SagaRates& rates);

  // Always Ok: a service that does not answer is a finding, not a failure of the pass.
  Status ScrapeAll();
  std::vector<ServiceStatus> Statuses() const;

 private:
  const Clock& clock_;
  const Fetch fetch_;
  SagaRates& rates_;
  mutable std::mutex mutex_;
  std::vector<ServiceStatus> statuses_;
};

}  // namespace sagaflow::console

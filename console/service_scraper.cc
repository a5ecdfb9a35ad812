#include "console/service_scraper.h"

#include "console/prometheus_text.h"
#include "manifest/service_manifest.h"

namespace sagaflow::console {

ServiceScraper::ServiceScraper(int base_port, const Clock& clock, Fetch fetch, SagaRates& rates)
    : clock_(clock), fetch_(std::move(fetch)), rates_(rates) {
  for (const ServiceManifest& service : SagaflowServices()) {
    ServiceStatus status;
    status.name = service.name;
    status.port = base_port + service.port_offset;
    statuses_.push_back(std::move(status));
  }
}

Status ServiceScraper::ScrapeAll() {
  std::vector<ServiceStatus> statuses = Statuses();
  for (ServiceStatus& status : statuses) {
    const std::optional<std::string> body = fetch_(status.port);
    const TimePoint now = clock_.Now();
    status.answering = body.has_value();
    if (!body) {
      status.broker_connected = false;
      continue;
    }
    const MetricSamples samples = ParsePrometheusText(*body);
    status.last_answer = now;
    status.broker_connected = SampleOr0(samples, "sagaflow_broker_connected") > 0;
    status.outbox_backlog = SampleOr0(samples, "sagaflow_outbox_backlog");
    if (status.name == "orchestrator") rates_.Add(now, samples);
  }
  std::lock_guard lock(mutex_);
  statuses_ = std::move(statuses);
  return Status::Ok();
}

std::vector<ServiceStatus> ServiceScraper::Statuses() const {
  std::lock_guard lock(mutex_);
  return statuses_;
}

}  // namespace sagaflow::console

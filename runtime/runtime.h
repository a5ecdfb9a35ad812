// Runtime: what every sagaflow service process stands on, built in one place so that each main.cc only composes
// its own logic on top (run_service.h runs the whole life of the process). It holds the process half (process.h:
// flags, shutdown signals, the migrated database), the logger, metrics, the messaging half (messaging_stack.h:
// outbox, bus, consumer, relay), health, the admin server, and the clean-up task that keeps the inbox, outbox and
// dead letters bounded (and any table a service adds). Create() blocks the shutdown signals first, before any
// library starts a thread. In test builds only, Create() also honours SAGAFLOW_TEST_FAULT (test_fault.h) and
// refuses to start on a value it does not know.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/periodic_task.h"
#include "common/random.h"
#include "http/health.h"
#include "http/server.h"
#include "runtime/messaging_stack.h"
#include "runtime/process.h"
#include "storage/database.h"
#include "storage/outbox.h"
#include "storage/retention.h"

namespace sagaflow::runtime {

class Runtime {
 public:
  static Result<std::unique_ptr<Runtime>> Create(const ServiceSpec& spec, const CommonConfig& config);
  ~Runtime();

  const ServiceSpec& spec() const { return spec_; }
  const CommonConfig& config() const { return config_; }
  const Clock& clock() const { return clock_; }
  RandomSource& random() { return random_; }
  const Logger& logger() const { return logger_; }
  Metrics& metrics() { return metrics_; }
  storage::Database& db() { return *db_; }
  storage::Outbox& outbox() { return messaging_->outbox(); }
  messaging::Consumer& consumer() { return messaging_->consumer(); }
  messaging::MessageBus& bus() { return messaging_->bus(); }
  // Refuses topics the service's broker account may not publish on (for what a service learns to publish at run
  // time, e.g. from a saga definition; the rest is checked when the relay meets it).
  Status CheckMayPublish(const std::vector<std::string>& topics) const { return messaging_->CheckMayPublish(topics); }
  // Add a table's rule before StartMessaging, which starts the clean-up task.
  storage::Retention& retention() { return *retention_; }
  int http_port() const { return http_port_; }
  http::HealthReport Health();

  // Connects to the broker (subscribing to the consumer's topics), starts the outbox relay and the clean-up
  // task. Refuses to start if the service's broker account may not consume one of those topics.
  Status StartMessaging();
  // Serves GET /health, GET /metrics and `extra` ("METHOD /path" -> handler) on this service's port: the
  // admin port of a service whose only HTTP surface it is, on the admin address; `extra` requires the
  // admin token (front_door.h). `extra` handlers must outlive Shutdown().
  Status StartAdminServer(std::map<std::string, http::Route> extra = {});
  // Blocks until SIGINT or SIGTERM.
  void WaitForShutdownSignal();
  void StopMessaging();
  // Stops the admin server, then messaging; call before the objects its handlers use are destroyed.
  void Shutdown();

 private:
  Runtime(ServiceSpec spec, CommonConfig config, Logger logger);
  void DescribeMetrics();

  ServiceSpec spec_;
  CommonConfig config_;
  int http_port_ = 0;
  SystemClock clock_;
  SeededRandom random_;
  Logger logger_;
  Metrics metrics_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<MessagingStack> messaging_;
  std::unique_ptr<storage::Retention> retention_;
  std::unique_ptr<PeriodicTask> cleanup_;
  std::unique_ptr<http::HttpServer> admin_;
};

}  // namespace sagaflow::runtime

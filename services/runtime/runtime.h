// Runtime: the parts every sagaflow service process has, built in one place so each main.cc only
// composes its own logic on top: flags shared by all services, the logger, metrics, its SQLite
// database (migrated), the outbox and its relay, the MQTT bus and the consumer, health, the clean-up task
// that keeps the inbox, outbox and dead letters bounded (and any table a service adds), and the wait
// for SIGINT/SIGTERM. Create() blocks those signals first, before any library starts a thread. In test builds
// only, Create() also honours SAGAFLOW_TEST_FAULT (test_fault.h) and refuses to start on a value it does not know.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/flags.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/periodic_task.h"
#include "common/random.h"
#include "common/wake_signal.h"
#include "http/health.h"
#include "http/server.h"
#include "messaging/broker_accounts.h"
#include "messaging/consumer.h"
#include "messaging/mqtt_bus.h"
#include "messaging/outbox_relay.h"
#include "services/runtime/front_door.h"
#include "storage/database.h"
#include "storage/outbox.h"
#include "storage/retention.h"

namespace sagaflow::runtime {

struct CommonConfig {
  std::string home;
  std::string mqtt_url;
  int64_t mqtt_port = 1883;
  int64_t http_port = 5000;
  FrontDoorConfig front_door;
  std::string log_level;
  std::string durability;
  std::string client_id;
  std::string mqtt_ca_file;
  int64_t outbox_batch = 500;
};

struct ServiceSpec {
  std::string name;        // "order-service": logs, pid file, broker account and MQTT client id
  std::string db_file;     // "orders.db" under $SAGAFLOW_HOME/data
  std::string migrations;  // "order": migrations/<this>/
  int port_offset = 0;     // HTTP/admin port = SAGAFLOW_HTTP_PORT + offset
};

void AddCommonFlags(FlagSet& flags, CommonConfig& config, const ServiceSpec& spec);
// Parses argv and the environment. Returns an exit code if the process should end now (--help: 0,
// a bad flag: 2, after printing one line), or nullopt to go on.
std::optional<int> ParseFlagsOrExit(FlagSet& flags, int argc, const char* const* argv);

class Runtime {
 public:
  static Result<std::unique_ptr<Runtime>> Create(const ServiceSpec& spec, const CommonConfig& config);
  ~Runtime();

  const Clock& clock() const { return clock_; }
  RandomSource& random() { return random_; }
  const Logger& logger() const { return logger_; }
  Metrics& metrics() { return metrics_; }
  storage::Database& db() { return *db_; }
  storage::Outbox& outbox() { return *outbox_; }
  messaging::Consumer& consumer() { return *consumer_; }
  messaging::MessageBus& bus() { return *bus_; }
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

  ServiceSpec spec_;
  CommonConfig config_;
  int http_port_ = 0;
  SystemClock clock_;
  SeededRandom random_;
  Logger logger_;
  Metrics metrics_;
  messaging::BrokerAccount account_;  // what this service may publish and consume
  WakeSignal outbox_rows_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::Outbox> outbox_;
  std::unique_ptr<messaging::MqttBus> bus_;
  std::unique_ptr<messaging::Consumer> consumer_;
  std::unique_ptr<messaging::OutboxRelay> relay_;
  std::unique_ptr<storage::Retention> retention_;
  std::unique_ptr<PeriodicTask> cleanup_;
  std::unique_ptr<http::HttpServer> admin_;
};

}  // namespace sagaflow::runtime

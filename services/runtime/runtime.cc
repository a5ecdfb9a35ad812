#include "services/runtime/runtime.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "messaging/broker_accounts.h"
#include "messaging/broker_login.h"
#include "migrations/embedded_migrations.h"
#include "storage/dead_letters.h"
#include "storage/inbox.h"

#ifdef SAGAFLOW_TEST_FAULTS
#include "services/runtime/test_fault.h"
#endif

namespace sagaflow::runtime {

void AddCommonFlags(FlagSet& flags, CommonConfig& config, const ServiceSpec& spec) {
  flags.AddString("home", "SAGAFLOW_HOME", "var", "state folder; the database is <home>/data/" + spec.db_file,
                  &config.home);
  flags.AddString("mqtt-url", "SAGAFLOW_MQTT_URL", "", "broker URI (default tcp://127.0.0.1:<mqtt-port>)",
                  &config.mqtt_url);
  flags.AddInt("mqtt-port", "SAGAFLOW_MQTT_PORT", 1883, 1, 65535, "broker port on 127.0.0.1", &config.mqtt_port);
  flags.AddInt("http-port", "SAGAFLOW_HTTP_PORT", 5000, 1, 65535 - 4,
               "order service port; this service listens on it +" + std::to_string(spec.port_offset),
               &config.http_port);
  flags.AddString("bind", "SAGAFLOW_BIND", "127.0.0.1",
                  "address of the order API (beyond loopback it needs --api-keys-file or --insecure)",
                  &config.front_door.bind_address);
  flags.AddString("admin-bind", "SAGAFLOW_ADMIN_BIND", "127.0.0.1",
                  "address of the admin ports (health, metrics, retry); never the public --bind",
                  &config.front_door.admin_bind_address);
  flags.AddString("api-keys-file", "SAGAFLOW_API_KEYS_FILE", "",
                  "file of API keys, one per line (mode 0600): the order API then requires Authorization: Bearer",
                  &config.front_door.api_keys_file);
  flags.AddString("allowed-hosts", "SAGAFLOW_ALLOWED_HOSTS", "",
                  "comma-separated Host names the servers answer to besides loopback names and the bind address",
                  &config.front_door.allowed_hosts);
  flags.AddSwitch("insecure", "SAGAFLOW_INSECURE", "serve the order API beyond loopback without API keys",
                  &config.front_door.insecure);
  flags.AddChoice("log-level", "SAGAFLOW_LOG_LEVEL", "info", {"trace", "debug", "info", "warn", "error"}, "log level",
                  &config.log_level);
  flags.AddChoice("durability", "SAGAFLOW_DURABILITY", "full", {"full", "normal"},
                  "full: nothing leaves a process before it is on disk (survives power loss); normal: no fsync waits, "
                  "for measuring",
                  &config.durability);
  flags.AddString("client-id", "", spec.name,
                  "MQTT client id (fixed: it names the broker session; sagaflow's broker makes it the account name)",
                  &config.client_id);
  flags.AddString("mqtt-ca-file", "SAGAFLOW_MQTT_CA_FILE", "",
                  "for an ssl:// broker URI: the CA certificate that signed the broker's (default: the system's)",
                  &config.mqtt_ca_file);
  flags.AddInt("outbox-batch", "SAGAFLOW_OUTBOX_BATCH", 500, 1, 100'000,
               "outbox rows the relay publishes per batch (all in flight at once)", &config.outbox_batch);
}

std::optional<int> ParseFlagsOrExit(FlagSet& flags, int argc, const char* const* argv) {
  // Flags are parsed before the process starts any thread, so getenv cannot race a setenv.
  Status status =
      flags.Parse(argc, argv, [](const char* name) { return std::getenv(name); });  // NOLINT(concurrency-mt-unsafe)
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", argv[0], status.message().c_str());
    return 2;
  }
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  return std::nullopt;
}

Runtime::Runtime(ServiceSpec spec, CommonConfig config, Logger logger)
    : spec_(std::move(spec)),
      config_(std::move(config)),
      http_port_(static_cast<int>(config_.http_port) + spec_.port_offset),
      random_(SeededRandom::SeedFromDevice()),
      logger_(std::move(logger)) {}

Runtime::~Runtime() {
  Shutdown();
}

Status Runtime::StartAdminServer(std::map<std::string, http::Route> extra) {
  auto token = EnsureAdminToken(config_.home, random_);
  if (!token.ok()) return token.status();
  auto options = AdminServerOptions(config_.front_door, http_port_, *token);
  if (!options.ok()) return options.status();
  admin_ = std::make_unique<http::HttpServer>(
      *options, http::MakeAdminRouter([this] { return Health(); }, metrics_, std::move(extra)), logger_);
  return admin_->Start();
}

void Runtime::Shutdown() {
  if (admin_) admin_->Stop();
  StopMessaging();
}

Result<std::unique_ptr<Runtime>> Runtime::Create(const ServiceSpec& spec, const CommonConfig& config) {
  // Blocked in this thread before any other starts, so every thread inherits the mask and only
  // WaitForShutdownSignal receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto logger = MakeLogger(spec.name, config.log_level);
  if (!logger.ok()) return logger.status();
  std::unique_ptr<Runtime> runtime(new Runtime(spec, config, *logger));
  auto durability = storage::ParseDurability(config.durability);
  if (!durability.ok()) return durability.status();
#ifdef SAGAFLOW_TEST_FAULTS
  // Test builds: a negative control may break the service on purpose (test_fault.h). Nothing in the process sets
  // the environment, so this getenv races nothing.
  auto fault = ParseTestFault(std::getenv(kTestFaultVariable));  // NOLINT(concurrency-mt-unsafe)
  if (!fault.ok()) return fault.status();
#endif

  const std::filesystem::path data_dir = std::filesystem::path(config.home) / "data";
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) return Status::IoError("cannot create " + data_dir.string() + ": " + error.message());
  auto db = storage::Database::Open({(data_dir / spec.db_file).string(), *durability});
  if (!db.ok()) return db.status();
  runtime->db_ = std::move(*db);
  Status migrated = storage::Migrate(*runtime->db_, migrations::ForService(spec.migrations), runtime->clock_.Now());
  if (!migrated.ok()) return migrated;

  Runtime& r = *runtime;
  r.outbox_ = std::make_unique<storage::Outbox>(*r.db_, r.clock_, r.outbox_rows_);
  const std::string uri =
      config.mqtt_url.empty() ? "tcp://127.0.0.1:" + std::to_string(config.mqtt_port) : config.mqtt_url;
  const auto accounts = messaging::SagaflowAccounts();
  const messaging::BrokerAccount* account = messaging::FindAccount(accounts, spec.name);
  if (account == nullptr) return Status::FailedPrecondition("no broker account is described for " + spec.name);
  r.account_ = *account;
  auto login = messaging::ReadBrokerLogin(config.home, spec.name);
  if (!login.ok()) return login.status();
  r.bus_ = std::make_unique<messaging::MqttBus>(messaging::MqttBusOptions{.server_uri = uri,
                                                                          .client_id = config.client_id,
                                                                          .username = login->username,
                                                                          .password = login->password,
                                                                          .ca_file = config.mqtt_ca_file},
                                                r.logger_, r.random_);
  r.consumer_ = std::make_unique<messaging::Consumer>(
      *r.db_, *r.outbox_, r.clock_, r.random_, r.logger_, r.metrics_, [logger = r.logger_](const std::string& reason) {
        // Exiting without returning to Paho means the message is never acknowledged: the broker
        // delivers it again once we are restarted and the database is usable.
        logger->critical("fatal: {}; exiting so the message is redelivered", reason);
        logger->flush();
        std::_Exit(3);
      });
  messaging::OutboxRelayOptions relay_options;
  relay_options.batch_size = static_cast<int>(config.outbox_batch);
  relay_options.may_publish = [account = &r.account_](std::string_view topic) { return account->MayPublish(topic); };
#ifdef SAGAFLOW_TEST_FAULTS
  if (*fault == TestFault::kPublishBeforeFsync) {
    relay_options.publish_before_durable = true;
    // Loud, so that a log read after a surprising test result shows at once that the fault was on.
    r.logger_->warn(
        "TEST FAULT ACTIVE ({}={}): the outbox relay publishes before the fsync; a power loss can take back what "
        "others have seen. Never run a service like this for real.",
        kTestFaultVariable, ToString(*fault));
  }
#endif
  r.relay_ = std::make_unique<messaging::OutboxRelay>(*r.outbox_, *r.bus_, r.outbox_rows_, r.random_, r.logger_,
                                                      r.metrics_, relay_options);
  r.retention_ = std::make_unique<storage::Retention>(r.clock_);
  r.retention_->Add(storage::InboxRetention(*r.db_));
  r.retention_->Add(r.outbox_->PublishedRetention());
  r.retention_->Add(storage::DeadLetterRetention(*r.db_));
  // Once a minute, or at once again while a table still has a full batch to delete.
  r.cleanup_ = std::make_unique<PeriodicTask>(
      PeriodicTaskOptions{.name = "clean-up", .interval = Millis(60'000)},
      [retention = r.retention_.get()] { return retention->RunOnce(); }, r.logger_, &r.metrics_, &r.random_);
  r.metrics_.Describe("sagaflow_outbox_backlog", "gauge", "Outbox rows not yet acknowledged by the broker");
  r.metrics_.Describe("sagaflow_broker_connected", "gauge", "1 when connected to the broker");
  r.metrics_.Describe("sagaflow_db_transactions_total", "counter",
                      "SQLite write transactions (none waits for an fsync)");
  r.metrics_.Describe("sagaflow_db_writes_total", "counter", "Units of work those transactions committed together");
  r.metrics_.Describe("sagaflow_db_pages_written_total", "counter", "Pages those transactions wrote (WAL frames)");
  r.metrics_.Describe("sagaflow_db_fsyncs_total", "counter",
                      "fsyncs of the database: one per batch of commits made durable, two per checkpoint");
  r.metrics_.AddCollector([&r](Metrics& metrics) {
    const auto commits = r.db_->commit_stats();
    metrics.Set("sagaflow_db_transactions_total", static_cast<double>(commits.transactions));
    metrics.Set("sagaflow_db_writes_total", static_cast<double>(commits.writes));
    metrics.Set("sagaflow_db_pages_written_total", static_cast<double>(commits.pages_written));
    metrics.Set("sagaflow_db_fsyncs_total", static_cast<double>(commits.syncs + 2 * commits.checkpoints));
    auto backlog = r.outbox_->CountUnpublished();
    if (backlog.ok()) metrics.Set("sagaflow_outbox_backlog", static_cast<double>(*backlog));
    metrics.Set("sagaflow_broker_connected", r.bus_->IsConnected() ? 1 : 0);
  });
  r.logger_->info("{} started: database {} (synchronous={}), broker {}, port {}", spec.name,
                  (data_dir / spec.db_file).string(), config.durability, uri, r.http_port_);
  return runtime;
}

http::HealthReport Runtime::Health() {
  http::HealthReport report;
  report.database_ok = db_->Read([](storage::Sql& sql) {
                            sql.Exec("SELECT 1");
                            return Status::Ok();
                          })
                           .ok();
  report.broker_connected = bus_->IsConnected();
  return report;
}

Status Runtime::StartMessaging() {
  for (const auto& topic : consumer_->Topics()) {
    if (!account_.MayConsume(topic)) {
      return Status::FailedPrecondition("broker account " + spec_.name + " may not consume " + topic +
                                        " (messaging/broker_accounts.cc)");
    }
  }
  bus_->SetHandler(consumer_->Topics(), [this](const messaging::IncomingMessage& m) { consumer_->Handle(m); });
  // Rows may have waited while we were disconnected: look at once.
  bus_->SetConnectedCallback([this] { outbox_rows_.Notify(); });
  Status started = bus_->Start();
  if (!started.ok()) return started;
  relay_->Start();
  cleanup_->Start();
  return Status::Ok();
}

void Runtime::WaitForShutdownSignal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  int received = 0;
  sigwait(&signals, &received);
  logger_->info("received {}, shutting down", received == SIGINT ? "SIGINT" : "SIGTERM");
}

void Runtime::StopMessaging() {
  if (cleanup_) cleanup_->Stop();
  if (relay_) relay_->Stop();
  if (bus_) bus_->Stop();
}

}  // namespace sagaflow::runtime

#include "runtime/runtime.h"

#include <cstdlib>
#include <filesystem>

#include "storage/dead_letters.h"
#include "storage/inbox.h"

#ifdef SAGAFLOW_TEST_FAULTS
#include "runtime/test_fault.h"
#endif

namespace sagaflow::runtime {

Runtime::Runtime(ServiceSpec spec, CommonConfig config, Logger logger)
    : spec_(std::move(spec)),
      config_(std::move(config)),
      http_port_(static_cast<int>(config_.http_port) + spec_.port_offset),
      random_(SeededRandom::SeedFromDevice()),
      logger_(std::move(logger)) {}

Runtime::~Runtime() {
  Shutdown();
}

Result<std::unique_ptr<Runtime>> Runtime::Create(const ServiceSpec& spec, const CommonConfig& config) {
  BlockShutdownSignals();
  auto logger = MakeLogger(spec.name, config.log_level);
  if (!logger.ok()) return logger.status();
  std::unique_ptr<Runtime> runtime(new Runtime(spec, config, *logger));
  Runtime& r = *runtime;
  MessagingStackOptions messaging_options;
#ifdef SAGAFLOW_TEST_FAULTS
  // Test builds: a negative control may break the service on purpose (test_fault.h). Nothing in the process sets
  // the environment, so this getenv races nothing.
  auto fault = ParseTestFault(std::getenv(kTestFaultVariable));  // NOLINT(concurrency-mt-unsafe)
  if (!fault.ok()) return fault.status();
  if (*fault == TestFault::kPublishBeforeFsync) {
    messaging_options.publish_before_durable = true;
    // Loud, so that a log read after a surprising test result shows at once that the fault was on.
    r.logger_->warn(
        "TEST FAULT ACTIVE ({}={}): the outbox relay publishes before the fsync; a power loss can take back what "
        "others have seen. Never run a service like this for real.",
        kTestFaultVariable, ToString(*fault));
  }
#endif
  auto db = OpenServiceDatabase(spec, config, r.clock_);
  if (!db.ok()) return db.status();
  r.db_ = std::move(*db);
  auto messaging =
      MessagingStack::Create(spec, config, *r.db_, r.clock_, r.random_, r.logger_, r.metrics_, messaging_options);
  if (!messaging.ok()) return messaging.status();
  r.messaging_ = std::move(*messaging);

  r.retention_ = std::make_unique<storage::Retention>(r.clock_);
  r.retention_->Add(storage::InboxRetention(*r.db_));
  r.retention_->Add(r.outbox().PublishedRetention());
  r.retention_->Add(storage::DeadLetterRetention(*r.db_));
  // Once a minute, or at once again while a table still has a full batch to delete.
  r.cleanup_ = std::make_unique<PeriodicTask>(
      PeriodicTaskOptions{.name = "clean-up", .interval = Millis(60'000)},
      [retention = r.retention_.get()] { return retention->RunOnce(); }, r.logger_, &r.metrics_, &r.random_);
  r.DescribeMetrics();
  r.logger_->info("{} started: database {} (durability {}), broker {}, port {}", spec.name,
                  (std::filesystem::path(config.home) / "data" / spec.db_file).string(), config.durability,
                  r.messaging_->broker_uri(), r.http_port_);
  return runtime;
}

void Runtime::DescribeMetrics() {
  metrics_.Describe("sagaflow_outbox_backlog", "gauge", "Outbox rows not yet acknowledged by the broker");
  metrics_.Describe("sagaflow_broker_connected", "gauge", "1 when connected to the broker");
  metrics_.Describe("sagaflow_db_transactions_total", "counter", "SQLite write transactions (none waits for an fsync)");
  metrics_.Describe("sagaflow_db_writes_total", "counter", "Units of work those transactions committed together");
  metrics_.Describe("sagaflow_db_pages_written_total", "counter", "Pages those transactions wrote (WAL frames)");
  metrics_.Describe("sagaflow_db_fsyncs_total", "counter",
                    "fsyncs of the database: one per batch of commits made durable, two per checkpoint");
  metrics_.AddCollector([this](Metrics& metrics) {
    const auto commits = db_->commit_stats();
    metrics.Set("sagaflow_db_transactions_total", static_cast<double>(commits.transactions));
    metrics.Set("sagaflow_db_writes_total", static_cast<double>(commits.writes));
    metrics.Set("sagaflow_db_pages_written_total", static_cast<double>(commits.pages_written));
    metrics.Set("sagaflow_db_fsyncs_total", static_cast<double>(commits.syncs + 2 * commits.checkpoints));
    auto backlog = outbox().CountUnpublished();
    if (backlog.ok()) metrics.Set("sagaflow_outbox_backlog", static_cast<double>(*backlog));
    metrics.Set("sagaflow_broker_connected", bus().IsConnected() ? 1 : 0);
  });
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

http::HealthReport Runtime::Health() {
  http::HealthReport report;
  report.database_ok = db_->Read([](storage::Sql& sql) {
                            sql.Exec("SELECT 1");
                            return Status::Ok();
                          })
                           .ok();
  report.broker_connected = bus().IsConnected();
  return report;
}

Status Runtime::StartMessaging() {
  Status started = messaging_->Start();
  if (!started.ok()) return started;
  cleanup_->Start();
  return Status::Ok();
}

void Runtime::WaitForShutdownSignal() {
  const std::string received = runtime::WaitForShutdownSignal();
  logger_->info("received {}, shutting down", received);
}

void Runtime::StopMessaging() {
  if (cleanup_) cleanup_->Stop();
  if (messaging_) messaging_->Stop();
}

void Runtime::Shutdown() {
  if (admin_) admin_->Stop();
  StopMessaging();
}

}  // namespace sagaflow::runtime

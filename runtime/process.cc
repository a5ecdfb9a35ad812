#include "runtime/process.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "migrations/service_schema.h"
#include "storage/migrator.h"

namespace sagaflow::runtime {

void AddCommonFlags(FlagSet& flags, CommonConfig& config, const ServiceSpec& spec) {
  flags.AddString("home", "SAGAFLOW_HOME", "var", "state folder; the database is <home>/data/" + spec.db_file,
                  &config.home);
  flags.AddString("mqtt-url", "SAGAFLOW_MQTT_URL", "", "broker URI (default tcp://127.0.0.1:<mqtt-port>)",
                  &config.mqtt_url);
  flags.AddInt("mqtt-port", "SAGAFLOW_MQTT_PORT", 1883, 1, 65535, "broker port on 127.0.0.1", &config.mqtt_port);
  flags.AddInt("http-port", "SAGAFLOW_HTTP_PORT", 5000, 1, 65535 - (ServicePortCount() - 1),
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

namespace {

sigset_t ShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

void BlockShutdownSignals() {
  const sigset_t signals = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

std::string WaitForShutdownSignal() {
  const sigset_t signals = ShutdownSignals();
  int received = 0;
  sigwait(&signals, &received);
  return received == SIGINT ? "SIGINT" : "SIGTERM";
}

Result<std::unique_ptr<storage::Database>> OpenServiceDatabase(const ServiceSpec& spec, const CommonConfig& config,
                                                               const Clock& clock) {
  auto durability = storage::ParseDurability(config.durability);
  if (!durability.ok()) return durability.status();
  const std::filesystem::path data_dir = std::filesystem::path(config.home) / "data";
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) return Status::IoError("cannot create " + data_dir.string() + ": " + error.message());
  auto db = storage::Database::Open({(data_dir / spec.db_file).string(), *durability});
  if (!db.ok()) return db.status();
  Status migrated = migrations::MigrateService(**db, spec.migrations, clock.Now());
  if (!migrated.ok()) return migrated;
  return std::move(*db);
}

}  // namespace sagaflow::runtime

// The process half of the runtime, which knows nothing of messaging: the flags every sagaflow service shares and
// their parsing (with the exit codes), the shutdown signals, and the service's migrated database.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/flags.h"
#include "manifest/service_manifest.h"
#include "messaging/broker_accounts.h"
#include "runtime/front_door.h"
#include "storage/database.h"

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
  // The broker accounts the process's subscriptions and publishes are checked against at start; empty: the compiled
  // ones (messaging::SagaflowAccounts). The orchestrator's grow with the saga definitions it runs.
  std::vector<messaging::BrokerAccount> accounts;
};

// What the runtime needs to know of a service: its entry in the manifest.
using ServiceSpec = ServiceManifest;

void AddCommonFlags(FlagSet& flags, CommonConfig& config, const ServiceSpec& spec);
// Parses argv and the environment. Returns an exit code if the process should end now (--help: 0,
// a bad flag: 2, after printing one line), or nullopt to go on.
std::optional<int> ParseFlagsOrExit(FlagSet& flags, int argc, const char* const* argv);

// Blocks SIGINT and SIGTERM in the calling thread. Call it before any thread starts: threads inherit the mask, so
// only WaitForShutdownSignal receives them.
void BlockShutdownSignals();
// Blocks until SIGINT or SIGTERM arrives; returns its name.
std::string WaitForShutdownSignal();

// Opens <home>/data/<db_file> (creating the folder) and applies the service's migrations.
Result<std::unique_ptr<storage::Database>> OpenServiceDatabase(const ServiceSpec& spec, const CommonConfig& config,
                                                               const Clock& clock);

}  // namespace sagaflow::runtime

// sagaflow-broker-acl: prints the broker's ACL (Mosquitto acl_file) generated from the one description of who
// publishes and consumes what: sagaflow's compiled accounts extended by the accounts that the saga definitions of
// --sagas-dir name (orchestrator/definitions/definition_accounts.h). With --accounts it prints the names of the
// accounts it grants rights to. scripts/run writes both into the broker's configuration before starting it, so an
// account a definition names gets a secret and its ACL lines. A broken definition makes it exit 2 with one line per
// problem ("<file>: <JSON path>: <what>"), so a broker is never started with rights no one checked. With
// --services it prints the manifest's services, one "<name> <port offset>" line each in start order, which the
// scripts read; that needs no definitions.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "common/flags.h"
#include "manifest/service_manifest.h"
#include "messaging/broker_accounts.h"
#include "orchestrator/definitions/definition_accounts.h"

int main(int argc, char** argv) {
  using namespace sagaflow;
  std::string sagas_dir;
  bool names = false;
  bool services = false;
  FlagSet flags("sagaflow-broker-acl",
                "Prints the Mosquitto acl_file for sagaflow's accounts and those the saga definitions name.");
  flags.AddString("sagas-dir", "SAGAFLOW_SAGAS_DIR", "config/sagas",
                  "the folder of saga definitions whose accounts extend sagaflow's (as the orchestrator reads it)",
                  &sagas_dir);
  flags.AddSwitch("accounts", "", "print the accounts' names instead, one per line", &names);
  flags.AddSwitch("services", "", "print the manifest's services instead, \"<name> <port offset>\" in start order",
                  &services);
  // Parsed before any thread starts, so getenv races nothing.
  Status parsed =
      flags.Parse(argc, argv, [](const char* name) { return std::getenv(name); });  // NOLINT(concurrency-mt-unsafe)
  if (parsed.ok() && names && services)
    parsed = Status::InvalidArgument("--accounts and --services exclude each other");
  if (!parsed.ok()) {
    std::fprintf(stderr, "sagaflow-broker-acl: %s\n", parsed.message().c_str());
    return 2;
  }
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  if (services) {
    for (const auto& service : SagaflowServices()) std::cout << service.name << ' ' << service.port_offset << '\n';
    return 0;
  }
  const auto accounts = definitions::ReadAccountsWithDefinitions(sagas_dir);
  if (!accounts.ok()) {
    std::fprintf(stderr, "sagaflow-broker-acl: %s\n", accounts.status().message().c_str());
    return 2;
  }
  if (names) {
    for (const auto& account : *accounts) std::cout << account.name << '\n';
  } else {
    std::cout << messaging::RenderMosquittoAcl(*accounts);
  }
  return 0;
}

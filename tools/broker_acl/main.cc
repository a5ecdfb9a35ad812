// sagaflow-broker-acl: prints the broker's ACL (Mosquitto acl_file) generated from the one description
// of who publishes and consumes what, or with --accounts the names of the accounts it grants rights to.
// scripts/run writes both into the broker's configuration before starting it. With --services it prints
// the manifest's services, one "<name> <port offset>" line each in start order, which the scripts read.
#include <cstdio>
#include <iostream>
#include <string_view>

#include "manifest/service_manifest.h"
#include "messaging/broker_accounts.h"

int main(int argc, char** argv) {
  using namespace sagaflow::messaging;
  const auto accounts = SagaflowAccounts();
  const std::string_view mode = argc > 1 ? argv[1] : "";
  if (argc == 1) {
    std::cout << RenderMosquittoAcl(accounts);
    return 0;
  }
  if (argc == 2 && mode == "--accounts") {
    for (const auto& account : accounts) std::cout << account.name << '\n';
    return 0;
  }
  if (argc == 2 && mode == "--services") {
    for (const auto& service : sagaflow::SagaflowServices())
      std::cout << service.name << ' ' << service.port_offset << '\n';
    return 0;
  }
  if (argc == 2 && (mode == "--help" || mode == "-h")) {
    std::cout << "usage: sagaflow-broker-acl [--accounts | --services]\n"
                 "  prints the Mosquitto acl_file for sagaflow's accounts, their names, or the services with their\n"
                 "  port offsets\n";
    return 0;
  }
  std::fprintf(stderr, "sagaflow-broker-acl: unknown argument '%s' (expected --accounts, --services or --help)\n",
               argv[1]);
  return 2;
}

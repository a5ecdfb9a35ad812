// inventory-service: reserves and releases stock for orders, once per idempotency key.
#include <cstdio>

#include "services/commands/command_processor.h"
#include "services/inventory/inventory.h"
#include "services/runtime/runtime.h"

#include <fstream>
#include <sstream>

int main(int argc, char** argv) {
  using namespace sagaflow;
  const runtime::ServiceSpec spec{"inventory-service", "inventory.db", "inventory", 3};
  runtime::CommonConfig config;
  int64_t delay_ms = 800;
  std::string stock_file;
  FlagSet flags("inventory-service", "Processes inventory/reserve and inventory/release.");
  runtime::AddCommonFlags(flags, config, spec);
  flags.AddInt("delay-ms", "SAGAFLOW_INVENTORY_DELAY_MS", 800, 0, 3'600'000,
               "simulated processing time of a reservation", &delay_ms);
  flags.AddString("stock-file", "SAGAFLOW_STOCK_FILE", "config/stock.json",
                  "initial stock of products not yet in the database", &stock_file);
  if (auto exit_code = runtime::ParseFlagsOrExit(flags, argc, argv)) return *exit_code;

  std::ifstream in(stock_file);
  if (!in) {
    std::fprintf(stderr, "inventory-service: cannot read stock file %s\n", stock_file.c_str());
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto stock = inventory::ParseStockFile(text.str());
  if (!stock.ok()) {
    std::fprintf(stderr, "inventory-service: %s: %s\n", stock_file.c_str(), stock.status().message().c_str());
    return 1;
  }

  auto created = runtime::Runtime::Create(spec, config);
  if (!created.ok()) {
    std::fprintf(stderr, "inventory-service: %s\n", created.status().message().c_str());
    return 1;
  }
  runtime::Runtime& rt = **created;
  auto seeded = inventory::SeedStock(rt.db(), *stock);
  if (!seeded.ok()) {
    std::fprintf(stderr, "inventory-service: %s\n", seeded.status().message().c_str());
    return 1;
  }
  rt.logger()->info("stock file {}: {} new product(s) seeded, existing stock kept", stock_file, *seeded);

  inventory::Inventory inventory(rt.clock(), rt.random(), rt.logger());
  commands::CommandProcessor processor(rt.db(), rt.outbox(), rt.clock(), rt.logger());
  rt.retention().Add(processor.RepliesRetention());
  inventory.Register(processor, rt.consumer(), Millis(delay_ms));

  if (Status serving = rt.StartAdminServer(); !serving.ok()) {
    std::fprintf(stderr, "inventory-service: %s\n", serving.message().c_str());
    return 1;
  }
  processor.Start();
  if (Status messaging = rt.StartMessaging(); !messaging.ok()) {
    std::fprintf(stderr, "inventory-service: %s\n", messaging.message().c_str());
    return 1;
  }
  rt.WaitForShutdownSignal();
  rt.Shutdown();
  processor.Stop();
  return 0;
}

// inventory-service: reserves and releases stock for orders, once per idempotency key.
#include <fstream>
#include <map>
#include <sstream>

#include "runtime/run_service.h"
#include "services/commands/command_processor.h"
#include "services/inventory/inventory.h"

namespace sagaflow {
namespace {

struct InventoryService final : runtime::Service {
  InventoryService(runtime::Runtime& rt, Millis delay)
      : inventory(rt.clock(), rt.random(), rt.logger()),
        processor(rt.db(), rt.outbox(), rt.clock(), rt.logger()),
        consumer(rt.consumer()),
        command_delay(delay) {
    rt.retention().Add(processor.RepliesRetention());
  }
  Status Start() override {
    if (Status registered = inventory.Register(processor, consumer, command_delay); !registered.ok()) return registered;
    processor.Start();
    return Status::Ok();
  }
  void Stop() override { processor.Stop(); }

  inventory::Inventory inventory;
  commands::CommandProcessor processor;
  messaging::Consumer& consumer;
  const Millis command_delay;
};

Result<std::map<std::string, int64_t>> ReadStockFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::InvalidArgument("cannot read stock file " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto stock = inventory::ParseStockFile(text.str());
  if (!stock.ok()) return Status::InvalidArgument(path + ": " + stock.status().message());
  return stock;
}

}  // namespace
}  // namespace sagaflow

int main(int argc, char** argv) {
  using namespace sagaflow;
  const runtime::ServiceSpec& spec = ServiceNamed("inventory-service");
  runtime::CommonConfig config;
  int64_t delay_ms = 800;
  std::string stock_file;
  std::map<std::string, int64_t> stock;
  FlagSet flags(spec.name, "Processes inventory/reserve and inventory/release.");
  runtime::AddCommonFlags(flags, config, spec);
  flags.AddInt("delay-ms", "SAGAFLOW_INVENTORY_DELAY_MS", 800, 0, 3'600'000,
               "simulated processing time of a reservation", &delay_ms);
  flags.AddString("stock-file", "SAGAFLOW_STOCK_FILE", "config/stock.json",
                  "initial stock of products not yet in the database", &stock_file);
  return runtime::RunService({.spec = spec,
                              .check_flags =
                                  [&] {
                                    auto read = ReadStockFile(stock_file);
                                    if (!read.ok()) return read.status();
                                    stock = std::move(*read);
                                    return Status::Ok();
                                  },
                              .make = [&](runtime::Runtime& rt) -> Result<std::unique_ptr<runtime::Service>> {
                                auto seeded = inventory::SeedStock(rt.db(), stock);
                                if (!seeded.ok()) return seeded.status();
                                rt.logger()->info("stock file {}: {} new product(s) seeded, existing stock kept",
                                                  stock_file, *seeded);
                                return runtime::MakeService<InventoryService>(rt, Millis(delay_ms));
                              }},
                             flags, config, argc, argv);
}

#include "manifest/service_manifest.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "manifest/topics.h"

namespace sagaflow {

namespace {

std::vector<std::string> Strings(std::initializer_list<std::string_view> topics) {
  return {topics.begin(), topics.end()};
}

std::vector<ServiceManifest> MakeServices() {
  using namespace topics;
  return {
      {.name = "order-service",
       .db_file = "orders.db",
       .migrations = "order",
       .schema = {"messaging", "order"},
       .port_offset = 0,
       .consumes = Strings({kOrderCompleted, kOrderCancelled, kOrderProgress}),
       .publishes = Strings({kOrderCreated})},
      {.name = "orchestrator",
       .db_file = "orchestrator.db",
       .migrations = "orchestrator",
       .schema = {"messaging", "sagas"},
       .port_offset = 1,
       .consumes = Strings({kOrderCreated, kPaymentProcessed, kPaymentRefunded, kInventoryReserved, kInventoryReleased,
                            kNotificationSent}),
       .publishes = Strings({kPaymentProcess, kPaymentRefund, kInventoryReserve, kInventoryRelease, kOrderCompleted,
                             kOrderCancelled, kOrderProgress})},
      {.name = "payment-service",
       .db_file = "payments.db",
       .migrations = "payment",
       .schema = {"messaging", "commands", "payment"},
       .port_offset = 2,
       .consumes = Strings({kPaymentProcess, kPaymentRefund}),
       .publishes = Strings({kPaymentProcessed, kPaymentRefunded})},
      {.name = "inventory-service",
       .db_file = "inventory.db",
       .migrations = "inventory",
       .schema = {"messaging", "commands", "inventory"},
       .port_offset = 3,
       .consumes = Strings({kInventoryReserve, kInventoryRelease}),
       .publishes = Strings({kInventoryReserved, kInventoryReleased})},
      {.name = "notification-service",
       .db_file = "notifications.db",
       .migrations = "notification",
       .schema = {"messaging", "notification"},
       .port_offset = 4,
       .consumes = Strings({kOrderCreated, kPaymentProcessed, kInventoryReserved, kOrderCompleted, kOrderCancelled,
                            kPaymentRefunded, kInventoryReleased}),
       .publishes = Strings({kNotificationSent})},
  };
}

}  // namespace

const std::vector<ServiceManifest>& SagaflowServices() {
  // Immutable after its first use; built on first use so that no static constructor runs before main.
  static const std::vector<ServiceManifest> services = MakeServices();
  return services;
}

std::vector<std::string> ServiceNames() {
  std::vector<std::string> names;
  for (const auto& service : SagaflowServices()) names.push_back(service.name);
  return names;
}

const ServiceManifest* FindService(std::string_view name) {
  const auto& services = SagaflowServices();
  auto found = std::find_if(services.begin(), services.end(), [&](const auto& s) { return s.name == name; });
  return found == services.end() ? nullptr : &*found;
}

const ServiceManifest& ServiceNamed(std::string_view name) {
  const ServiceManifest* service = FindService(name);
  if (service == nullptr) {
    std::fprintf(stderr, "no service named '%.*s' in the manifest\n", static_cast<int>(name.size()), name.data());
    std::abort();
  }
  return *service;
}

int ServicePortCount() {
  int count = 0;
  for (const auto& service : SagaflowServices()) count = std::max(count, service.port_offset + 1);
  return count;
}

}  // namespace sagaflow

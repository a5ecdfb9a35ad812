// ServiceManifest: the one description of sagaflow's five services. For each: its name (logs, pid file, broker
// account and MQTT client id), its database file under $SAGAFLOW_HOME/data, its schema's components, its port's offset
// from SAGAFLOW_HTTP_PORT (the order API on +0, each other service's admin port above it), and the topics it
// consumes and publishes. The mains, the broker's accounts and ACL, sagactl, verify, the benchmark, the test
// harness and the scripts (through `sagaflow-broker-acl --services`) all read it from here. Listed in start order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sagaflow {

struct ServiceManifest {
  std::string name;        // "order-service"
  std::string db_file;     // "orders.db"
  std::string migrations;  // the name of its schema: "order"
  // The schema components its database holds, each with its own migrations under migrations/<component>/.
  std::vector<std::string> schema;
  int port_offset = 0;  // its HTTP port = SAGAFLOW_HTTP_PORT + port_offset
  std::vector<std::string> consumes;
  std::vector<std::string> publishes;
};

// The five, in start order: order-service, orchestrator, payment-, inventory-, notification-service.
const std::vector<ServiceManifest>& SagaflowServices();
// Their names, in start order.
std::vector<std::string> ServiceNames();
// nullptr if no service has that name.
const ServiceManifest* FindService(std::string_view name);
// The service of that name; a name not in the manifest is a programming error (it aborts).
const ServiceManifest& ServiceNamed(std::string_view name);
// The ports are SAGAFLOW_HTTP_PORT + 0 .. + (this - 1).
int ServicePortCount();

// The operators' web console (sagaflow-console) listens on SAGAFLOW_HTTP_PORT + this, above the services' ports.
inline constexpr int kConsolePortOffset = 5;

// The name of the saga the order service's orders run (config/sagas/order.json); its correlation id is the order id.
inline constexpr std::string_view kOrderSagaName = "order";

}  // namespace sagaflow

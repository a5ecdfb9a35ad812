#include "tests/support/service.h"

#include <filesystem>
#include <stdexcept>

#include "manifest/service_manifest.h"
#include "tests/support/http_client.h"
#include "tests/support/test_env.h"

namespace sagaflow::testing {

int PortOffsetOf(const std::string& service) {
  const ServiceManifest* manifest = FindService(service);
  if (manifest == nullptr) throw std::invalid_argument("unknown service " + service);
  return manifest->port_offset;
}

Service::Service(std::string name, std::string home, SystemPorts ports, std::map<std::string, std::string> extra_env,
                 std::vector<std::string> args)
    : name_(std::move(name)), port_(ports.http + PortOffsetOf(name_)) {
  std::filesystem::create_directories(home + "/log");
  std::map<std::string, std::string> env{{"SAGAFLOW_HOME", home},
                                         {"SAGAFLOW_MQTT_PORT", std::to_string(ports.mqtt)},
                                         {"SAGAFLOW_HTTP_PORT", std::to_string(ports.http)},
                                         {"SAGAFLOW_PAYMENT_DELAY_MS", "0"},
                                         {"SAGAFLOW_INVENTORY_DELAY_MS", "0"},
                                         {"SAGAFLOW_STOCK_FILE", SourceDir() + "/config/stock.json"},
                                         {"SAGAFLOW_SAGAS_DIR", SourceDir() + "/config/sagas"},
                                         // Sanitizer reports must fail loudly, never hide in a log.
                                         {"ASAN_OPTIONS", "abort_on_error=1:detect_leaks=1"},
                                         {"UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1"}};
  for (auto& [key, value] : extra_env) env[key] = value;
  process_ = std::make_unique<Process>(BinDir() + "/" + name_, std::move(args), std::move(env),
                                       home + "/log/" + name_ + ".log");
}

void Service::Start() {
  process_->Start();
}

bool Service::WaitHealthy(std::chrono::milliseconds timeout) {
  HttpClient client(port_);
  return Eventually([&] { return client.Get("/health").status == 200; }, timeout);
}

void Service::StartHealthy() {
  Start();
  if (!WaitHealthy(std::chrono::seconds(30))) {
    throw std::runtime_error(name_ + " did not become healthy: " + process_->Log());
  }
}

}  // namespace sagaflow::testing

#include "bench/service_metrics.h"

#include <cstdlib>
#include <sstream>

#include "http/client/http_client.h"
#include "manifest/service_manifest.h"

namespace sagaflow::bench {

std::map<std::string, double> ReadServiceMetric(int http_port, const std::string& metric) {
  std::map<std::string, double> values;
  for (const auto& service : SagaflowServices()) {
    const auto response = http::HttpClient(http_port + service.port_offset).Get("/metrics");
    if (response.status != 200) continue;
    std::istringstream lines(response.body);
    for (std::string line; std::getline(lines, line);) {
      if (line.size() > metric.size() && line.compare(0, metric.size(), metric) == 0 && line[metric.size()] == ' ') {
        values[service.name] = std::strtod(line.c_str() + metric.size() + 1, nullptr);
        break;
      }
    }
  }
  return values;
}

}  // namespace sagaflow::bench

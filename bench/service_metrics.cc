#include "bench/service_metrics.h"

#include <cstdlib>
#include <sstream>

#include "http/http_client.h"

namespace sagaflow::bench {

const std::map<std::string, int>& ServicePortOffsets() {
  static const std::map<std::string, int> offsets = {{"order-service", 0},
                                                     {"orchestrator", 1},
                                                     {"payment-service", 2},
                                                     {"inventory-service", 3},
                                                     {"notification-service", 4}};
  return offsets;
}

std::map<std::string, double> ReadServiceMetric(int http_port, const std::string& metric) {
  std::map<std::string, double> values;
  for (const auto& [service, offset] : ServicePortOffsets()) {
    const auto response = http::HttpClient(http_port + offset).Get("/metrics");
    if (response.status != 200) continue;
    std::istringstream lines(response.body);
    for (std::string line; std::getline(lines, line);) {
      if (line.size() > metric.size() && line.compare(0, metric.size(), metric) == 0 && line[metric.size()] == ' ') {
        values[service] = std::strtod(line.c_str() + metric.size() + 1, nullptr);
        break;
      }
    }
  }
  return values;
}

}  // namespace sagaflow::bench

// Metrics: counters and gauges rendered in the Prometheus text format for GET /metrics.
//
// A series is named with its labels, e.g. `sagaflow_messages_handled_total{topic="orders/created"}`;
// series of one family are grouped under the family's HELP and TYPE lines. Collectors registered with
// AddCollector run at every Render to refresh gauges that are cheaper to compute on demand (outbox
// backlog). Thread-safe; one instance per process, created by main and passed in.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace sagaflow {

class Metrics {
 public:
  void Describe(const std::string& family, const std::string& type, const std::string& help);
  void Add(const std::string& series, double delta = 1);
  void Set(const std::string& series, double value);
  double Get(const std::string& series) const;
  void AddCollector(std::function<void(Metrics&)> collector);
  std::string Render();

 private:
  struct Family {
    std::string type = "untyped";
    std::string help;
  };
  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
  std::map<std::string, double> series_;
  std::vector<std::function<void(Metrics&)>> collectors_;
};

// Escapes a label value for the Prometheus text format.
std::string PromLabel(const std::string& value);

}  // namespace sagaflow

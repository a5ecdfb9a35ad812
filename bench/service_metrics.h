// ServiceMetrics: reads one counter from every sagaflow service's /metrics (the order API's port and the
// admin ports above it, from the manifest), so a run can report what it cost per saga: fsyncs, transactions.
#pragma once

#include <map>
#include <string>

namespace sagaflow::bench {

// `metric`'s value (an unlabelled counter or gauge) for each service that answered, by service name.
std::map<std::string, double> ReadServiceMetric(int http_port, const std::string& metric);

}  // namespace sagaflow::bench

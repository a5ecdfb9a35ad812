// ServiceMetrics: reads one counter from every sagaflow service's /metrics (the order API's port and the
// admin ports above it), so a run can report what it cost per saga: fsyncs, transactions.
#pragma once

#include <map>
#include <string>

namespace sagaflow::bench {

// The five services and their ports' offsets from the order API's port (the contract's port scheme).
const std::map<std::string, int>& ServicePortOffsets();

// `metric`'s value (an unlabelled counter or gauge) for each service that answered, by service name.
std::map<std::string, double> ReadServiceMetric(int http_port, const std::string& metric);

}  // namespace sagaflow::bench

// The console measurement: how fast the web console (sagaflow-console, on loopback at the order API's port + 5)
// answers what its page asks, against a running system that it only reads. Each query of bench/console_queries.h is
// timed `repeats` times, one request after another on one keep-alive connection as a browser tab sends them, and so
// is a walk from the newest page `depth` pages deep by cursor (each page's time, and the whole walk's). The number
// of sagas and the span of their creation times come from <home>/data/orchestrator.db, read-only, because the
// console's API counts nothing. A non-2xx or unreadable answer ends the measurement with an error naming the query;
// what was timed before it is kept.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/stats.h"
#include "common/status.h"
#include "manifest/service_manifest.h"

namespace sagaflow::bench {

struct ConsoleReadsOptions {
  std::string home;  // the system's SAGAFLOW_HOME
  int console_port = 5000 + kConsolePortOffset;
  int repeats = 50;  // requests per query, and walks
  int depth = 100;   // pages per walk
};

struct QueryTiming {
  std::string name;
  std::string path;      // the request (a walk: its first page's)
  int64_t rows = 0;      // in the last answer; a walk: on all the pages of the last walk
  int64_t requests = 0;  // timed
  int64_t pages = 0;     // a walk: how deep it went (less than depth if the history ended first); else 0
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

struct ConsoleReadsResult {
  int64_t sagas = 0;  // in orchestrator.db when the measurement began
  std::vector<QueryTiming> queries;
  Status status;
};

// A query's line of the report from its times (ms); requests is their count.
QueryTiming Summarize(std::string name, std::string path, int64_t rows, Samples& samples_ms);

ConsoleReadsResult MeasureConsoleReads(const ConsoleReadsOptions& options);

}  // namespace sagaflow::bench

// The console's HTTP surface, as one handler for http::HttpServer:
//   GET  /, /console.js, /console.css, /chart.js   the embedded page and its assets
//   GET  /health                                   200 while the console serves
//   GET  /api/overview                             rates, saga counts, per-service state
//   GET  /api/sagas, /api/saga, /api/dead-letters  the read model's answers (console/read_api.h)
//   POST /api/sagas/retry       {"sagaId": "..."}          one redrive, through the orchestrator
//   POST /api/sagas/retry-bulk  {"sagaIds": ["...", ...]}  at most kMaxBulkRedrive of them, one after the other
// Every GET path is public on the console's loopback port; any other path needs the operator's token, which the
// server (not this handler) checks: ReadOnlyPaths() lists the exempt paths. Answers carry headers that keep the page
// from being framed or its assets from being read as another type, and a content security policy that lets the page
// run only its own scripts.
#pragma once

#include <set>
#include <string>

#include "common/clock.h"
#include "console/read_api.h"
#include "console/redrive.h"
#include "console/saga_rates.h"
#include "console/service_scraper.h"
#include "http/server.h"

namespace sagaflow::console {

inline constexpr size_t kMaxBulkRedrive = 200;

struct ConsoleParts {
  const SagaRates& rates;
  const ServiceScraper& scraper;
  const Redriver& redriver;
  const ReadApi& reads;
  const Clock& clock;
};

http::HttpServer::Handler MakeConsoleHandler(const ConsoleParts& parts);

std::set<std::string> ReadOnlyPaths();

}  // namespace sagaflow::console

// sagaflow-console: the operators' web console. Serves its page on loopback at SAGAFLOW_HTTP_PORT + 5, reads the
// services' databases read-only (through the read model sagactl uses), samples their /metrics, and redrives sagas
// only through the orchestrator's admin endpoint, for a holder of the operator token.
#include <cstdio>

#include "common/clock.h"
#include "common/flags.h"
#include "common/logging.h"
#include "common/periodic_task.h"
#include "common/random.h"
#include "common/secret_file.h"
#include "console/console_routes.h"
#include "http/client/http_client.h"
#include "http/health.h"
#include "manifest/service_manifest.h"
#include "runtime/front_door.h"
#include "runtime/process.h"

namespace sagaflow::console {
namespace {

struct Settings {
  std::string home;
  int64_t http_port = 5000;
  std::string bind;
  std::string token_file;
  std::string log_level;
  int64_t scrape_ms = 1000;
  int64_t history_minutes = 10;
};

void DefineFlags(FlagSet& flags, Settings& settings) {
  flags.AddString("home", "SAGAFLOW_HOME", "var", "the state folder whose data/*.db it reads", &settings.home);
  flags.AddInt("http-port", "SAGAFLOW_HTTP_PORT", 5000, 1, 65535 - kConsolePortOffset,
               "the order service's port; the console listens on it +5, and finds the others above it",
               &settings.http_port);
  flags.AddString("bind", "SAGAFLOW_CONSOLE_BIND", "127.0.0.1",
                  "a loopback address to serve on (reach it from elsewhere through an SSH tunnel)", &settings.bind);
  flags.AddString("token-file", "SAGAFLOW_CONSOLE_TOKEN_FILE", "",
                  "file whose first line is the operator token that redrives need (default: <home>/secrets/"
                  "admin-token, the token sagactl retry uses)",
                  &settings.token_file);
  flags.AddChoice("log-level", "SAGAFLOW_LOG_LEVEL", "info", {"trace", "debug", "info", "warn", "error"}, "log level",
                  &settings.log_level);
  flags.AddInt("scrape-ms", "SAGAFLOW_CONSOLE_SCRAPE_MS", 1000, 200, 60'000,
               "how often each service's /metrics is read for the overview", &settings.scrape_ms);
  flags.AddInt("history-minutes", "SAGAFLOW_CONSOLE_HISTORY_MINUTES", 10, 1, 60,
               "how many minutes of rates the overview charts", &settings.history_minutes);
}

std::optional<std::string> FetchMetrics(int port, Millis timeout) {
  http::HttpClient client(port, timeout);
  auto response = client.Get("/metrics");
  if (response.status != 200) return std::nullopt;
  return std::move(response.body);
}

int Run(const Settings& settings, const Logger& logger) {
  if (!runtime::IsLoopbackAddress(settings.bind)) {
    std::fprintf(stderr, "sagaflow-console: --bind %s is not a loopback address\n", settings.bind.c_str());
    return 2;
  }
  const std::string token_file =
      settings.token_file.empty() ? http::AdminTokenPath(settings.home) : settings.token_file;
  auto operator_token = ReadSecretLines(token_file);
  auto admin_token = ReadSecretLines(http::AdminTokenPath(settings.home));
  if (!operator_token.ok() || !admin_token.ok()) {
    std::fprintf(stderr, "sagaflow-console: %s (scripts/run creates the tokens when the services first start)\n",
                 (!operator_token.ok() ? operator_token.status() : admin_token.status()).message().c_str());
    return 2;
  }
  SystemClock clock;
  SagaRates rates(std::chrono::minutes(settings.history_minutes));
  const Millis scrape_every(settings.scrape_ms);
  // A frozen service must not hold up the others' samples for long.
  const Millis fetch_timeout = std::min(scrape_every, Millis(800));
  ServiceScraper scraper(
      static_cast<int>(settings.http_port), clock,
      [fetch_timeout](int port) { return FetchMetrics(port, fetch_timeout); }, rates);
  const Redriver redriver(static_cast<int>(settings.http_port) + ServiceNamed("orchestrator").port_offset,
                          admin_token->front(), logger);
  const ReadApi reads(settings.home, clock);
  const ConsoleParts parts{rates, scraper, redriver, reads, clock};

  Metrics metrics;
  SeededRandom random(SeededRandom::SeedFromDevice());
  PeriodicTask scrape(
      {.name = "metrics scrape", .interval = scrape_every},
      [&scraper] {
        Status status = scraper.ScrapeAll();
        if (!status.ok()) return Result<NextPass>(status);
        return Result<NextPass>(NextPass::AtInterval());
      },
      logger, &metrics, &random);

  http::HttpServerOptions options;
  options.bind_address = settings.bind;
  options.port = static_cast<int>(settings.http_port) + kConsolePortOffset;
  options.check_host = true;
  options.bearer_keys = {operator_token->front()};
  options.auth_exempt_paths = ReadOnlyPaths();
  http::HttpServer server(options, MakeConsoleHandler(parts), logger);
  runtime::BlockShutdownSignals();
  scrape.Start();
  if (Status started = server.Start(); !started.ok()) {
    std::fprintf(stderr, "sagaflow-console: %s\n", started.message().c_str());
    scrape.Stop();
    return 1;
  }
  logger->info("console serving on http://{}:{}/ for home {}", settings.bind, server.bound_port(), settings.home);
  const std::string signal = runtime::WaitForShutdownSignal();
  logger->info("console stopping on {}", signal);
  server.Stop();
  scrape.Stop();
  return 0;
}

}  // namespace
}  // namespace sagaflow::console

int main(int argc, char** argv) {
  using namespace sagaflow;
  console::Settings settings;
  FlagSet flags("sagaflow-console", "The operators' web console, on loopback at SAGAFLOW_HTTP_PORT + 5.");
  console::DefineFlags(flags, settings);
  if (auto exit_code = runtime::ParseFlagsOrExit(flags, argc, argv)) return *exit_code;
  auto logger = MakeLogger("console", settings.log_level);
  if (!logger.ok()) {
    std::fprintf(stderr, "sagaflow-console: %s\n", logger.status().message().c_str());
    return 2;
  }
  return console::Run(settings, *logger);
}

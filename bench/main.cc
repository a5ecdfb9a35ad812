// sagaflow-bench: measures a running sagaflow (it starts nothing). See bench/load.h, bench/limits.h,
// bench/recovery.h, bench/seed_history.h and bench/console_reads.h.
//   sagaflow-bench --mode orders [--orders N --clients C | --rate R --seconds S] [--json]
//       the order load; with every process's CPU, I/O system calls, context switches, peak memory and
//       resident memory over the run (sampled once a second from the pid files under --home: at the end of
//       the first minute, or of the first 10% of a shorter run, at the end and the largest; --json adds a
//       timeline every 10 s)
//   sagaflow-bench --mode recovery --orders 2000 [--clients C] [--freeze steps|orchestrator] [--json]
//       kill -9 of the orchestrator with N sagas in flight, and the time from its restart (/health 200)
//       until all N orders are terminal; it freezes and kills processes of the system under --home
//   sagaflow-bench --mode seed-history --orders N --home DIR [--stock-file F] [--seed S] [--json]
//       writes N finished orders into the five databases of a stopped, migrated system (start it once
//       with scripts/run --detach and stop it with scripts/stop first); sagactl verify still passes
//   sagaflow-bench --mode console [--pages N] [--depth K] [--json]
//       the web console's answers (at --http-port + 5) over the history under --home: the newest page, by
//       definition, by state, stuck only, a time range, a correlation id and one saga, each N (50) times, and
//       a walk K (100) pages deep by cursor, N times: rows, p50, p99 and max ms of each, and the sagas held
//   sagaflow-bench --mode sqlite [--durability full|normal] [--seconds S]
//   sagaflow-bench --mode mqtt [--messages N]
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "bench/console_reads.h"
#include "bench/limits.h"
#include "bench/load.h"
#include "bench/process_control.h"
#include "bench/recovery.h"
#include "bench/rss_sampler.h"
#include "bench/seed_history.h"
#include "bench/service_metrics.h"
#include "common/flags.h"
#include "common/json_writer.h"
#include "common/random.h"
#include "common/stock_file.h"
#include "messaging/broker_accounts.h"
#include "messaging/broker_login.h"

namespace {

using namespace sagaflow;
using namespace sagaflow::bench;

constexpr std::chrono::seconds kRssPeriod{1};
constexpr double kRssTimelineSeconds = 10;
constexpr double kRecoveryTargetSeconds = 3;
constexpr char kFsyncsMetric[] = "sagaflow_db_fsyncs_total";

// The command line, as the flags and their environment variables set it.
struct BenchFlags {
  std::string mode, home, mqtt_url, durability, freeze, stock_file;
  int64_t mqtt_port = 1883, http_port = 5000, orders = 20000, clients = 64, messages = 20000;
  int64_t rate = 0, seconds = 30, seed = 0, pages = 50, depth = 100;
  std::string json_flag;

  bool JsonOutput() const { return json_flag == "yes"; }
  std::string MqttUri() const { return mqtt_url.empty() ? "tcp://127.0.0.1:" + std::to_string(mqtt_port) : mqtt_url; }
};

// How a mode ended: its exit code, and whether it made a report (--json prints it). A mode that could not
// begin (no broker login, a running system to seed) makes none; a measurement that failed part-way does.
struct ModeEnd {
  int exit_code = 0;
  bool reported = true;
};

ModeEnd NoReport(int exit_code) {
  return {exit_code, false};
}

std::string Number(double value) {
  return std::to_string(value);
}

void WriteLatency(JsonWriter& json, const char* name, Samples& samples) {
  json.Key(name).BeginObject();
  for (const auto& [label, q] :
       std::vector<std::pair<const char*, double>>{{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}, {"p999", 0.999}}) {
    json.Key(label).Raw(Number(samples.Quantile(q)));
  }
  json.Key("max").Raw(Number(samples.Max())).EndObject();
}

void PrintLatency(const char* name, Samples& samples) {
  std::printf("%-18s p50 %8.2f  p90 %8.2f  p99 %8.2f  p99.9 %8.2f  max %8.2f ms\n", name, samples.Quantile(0.5),
              samples.Quantile(0.9), samples.Quantile(0.99), samples.Quantile(0.999), samples.Max());
}

void WriteRss(JsonWriter& json, const RssSummary& rss) {
  json.Key("rss")
      .BeginObject()
      .Key("markSeconds")
      .Raw(Number(rss.mark_seconds))
      .Key("atMarkKb")
      .Int(rss.at_mark_kb)
      .Key("endKb")
      .Int(rss.end_kb)
      .Key("maxKb")
      .Int(rss.max_kb)
      .Key("growthKb")
      .Int(rss.growth_kb)
      .Key("timelineIntervalSeconds")
      .Raw(Number(rss.timeline_interval_seconds))
      .Key("timelineKb")
      .BeginArray();
  for (int64_t kb : rss.timeline_kb) json.Int(kb);
  json.EndArray().EndObject();
}

// `account`'s broker login under `home`; nullopt once the reason it cannot be read is printed.
std::optional<messaging::BrokerLogin> ReadLogin(const std::string& home, std::string_view account) {
  auto login = messaging::ReadBrokerLogin(home, std::string(account));
  if (!login.ok()) {
    std::fprintf(stderr, "sagaflow-bench: %s\n", login.status().message().c_str());
    return std::nullopt;
  }
  return *login;
}

std::map<std::string, ProcessStats> ReadAllProcessStats(const std::map<std::string, pid_t>& pids) {
  std::map<std::string, ProcessStats> stats;
  for (const auto& [name, pid] : pids) stats[name] = ReadProcessStats(pid);
  return stats;
}

// The fsyncs of all services together since `before` was read.
double FsyncsSince(const std::map<std::string, double>& before, int http_port) {
  double fsyncs = 0;
  for (const auto& [service, count] : ReadServiceMetric(http_port, kFsyncsMetric)) {
    const auto was = before.find(service);
    fsyncs += count - (was == before.end() ? 0 : was->second);
  }
  return fsyncs;
}

void WriteLoad(JsonWriter& json, const LoadOptions& options, LoadResult& result) {
  json.Key("loop")
      .String(options.rate > 0 ? "open" : "closed")
      .Key("offeredRate")
      .Int(static_cast<int64_t>(options.rate))
      .Key("clients")
      .Int(options.clients)
      .Key("orders")
      .Int(result.posted)
      .Key("postErrors")
      .Int(result.post_errors)
      .Key("completed")
      .Int(result.completed)
      .Key("cancelled")
      .Int(result.cancelled)
      .Key("seconds")
      .Raw(Number(result.seconds))
      .Key("sagasPerSecond")
      .Raw(Number(result.sagas_per_second));
  WriteLatency(json, "postMs", result.post_ms);
  WriteLatency(json, "endToEndMs", result.end_to_end_ms);
}

void PrintLoad(const LoadOptions& options, LoadResult& result, double fsyncs_per_saga) {
  const bool open_loop = options.rate > 0;
  std::printf("%s loop%s: %d orders (%d errors), %d completed, %d cancelled, %.1f s, %.0f sagas/s\n",
              open_loop ? "open" : "closed",
              open_loop ? (" at " + std::to_string(static_cast<int64_t>(options.rate)) + "/s").c_str() : "",
              result.posted, result.post_errors, result.completed, result.cancelled, result.seconds,
              result.sagas_per_second);
  PrintLatency("POST", result.post_ms);
  PrintLatency("end to end", result.end_to_end_ms);
  std::printf("fsyncs per saga    %.2f (all services)\n", fsyncs_per_saga);
}

// What one process spent over the run, per saga where the name says so.
struct ProcessCost {
  double cpu_seconds = 0;
  double cpu_ms_per_saga = 0;
  double io_syscalls_per_saga = 0;
  double context_switches_per_saga = 0;
  int64_t peak_rss_kb = 0;
  RssSummary rss;
};

ProcessCost CostOf(const ProcessStats& before, const ProcessStats& after, double sagas, RssSummary rss) {
  ProcessCost cost;
  cost.cpu_seconds = after.cpu_seconds - before.cpu_seconds;
  cost.cpu_ms_per_saga = cost.cpu_seconds * 1000 / sagas;
  cost.io_syscalls_per_saga = static_cast<double>(after.io_syscalls - before.io_syscalls) / sagas;
  cost.context_switches_per_saga = static_cast<double>(after.context_switches - before.context_switches) / sagas;
  cost.peak_rss_kb = after.peak_rss_kb;
  cost.rss = std::move(rss);
  return cost;
}

// What `name`'s resident memory did over the run (not ok if it was never sampled).
RssSummary RssOf(const RssSampler& sampler, const std::string& name) {
  auto samples = sampler.samples().find(name);
  return SummarizeRss(samples == sampler.samples().end() ? std::vector<RssSample>{} : samples->second,
                      sampler.seconds(), kRssTimelineSeconds);
}

void WriteProcessCost(JsonWriter& json, const std::string& name, const ProcessCost& cost) {
  json.Key(name)
      .BeginObject()
      .Key("cpuSeconds")
      .Raw(Number(cost.cpu_seconds))
      .Key("cpuMsPerSaga")
      .Raw(Number(cost.cpu_ms_per_saga))
      .Key("ioSyscallsPerSaga")
      .Raw(Number(cost.io_syscalls_per_saga))
      .Key("contextSwitchesPerSaga")
      .Raw(Number(cost.context_switches_per_saga))
      .Key("peakRssKb")
      .Int(cost.peak_rss_kb);
  WriteRss(json, cost.rss);
  json.EndObject();
}

void PrintProcessCost(const std::string& name, const ProcessCost& cost) {
  std::printf(
      "  %-22s cpu %7.2f s (%.3f ms/saga, %.0f I/O syscalls, %.0f context switches)   peak rss %7.1f MiB   "
      "rss at %.0f s %7.1f, at end %7.1f, max %7.1f MiB\n",
      name.c_str(), cost.cpu_seconds, cost.cpu_ms_per_saga, cost.io_syscalls_per_saga, cost.context_switches_per_saga,
      cost.peak_rss_kb / 1024.0, cost.rss.mark_seconds, cost.rss.at_mark_kb / 1024.0, cost.rss.end_kb / 1024.0,
      cost.rss.max_kb / 1024.0);
}

int RunOrders(const LoadOptions& options, const std::string& home, bool json_output, JsonWriter& json) {
  const auto pids = ReadPidFiles(home);
  const auto before = ReadAllProcessStats(pids);
  const auto fsyncs_before = ReadServiceMetric(options.http_port, kFsyncsMetric);
  RssSampler sampler(pids, kRssPeriod);
  sampler.Start();
  LoadResult result = RunLoad(options);
  sampler.Stop();
  // What each saga cost, all processes together: fsyncs (the syncers' and the checkpoints') and CPU.
  const double sagas = std::max(1, result.completed + result.cancelled);
  const double fsyncs_per_saga = FsyncsSince(fsyncs_before, options.http_port) / sagas;
  WriteLoad(json, options, result);
  json.Key("sampledSeconds").Raw(Number(sampler.seconds()));
  json.Key("fsyncsPerSaga").Raw(Number(fsyncs_per_saga));
  json.Key("processes").BeginObject();
  if (!json_output) PrintLoad(options, result, fsyncs_per_saga);
  for (const auto& [name, pid] : pids) {
    const ProcessStats after = ReadProcessStats(pid);
    if (!after.ok) continue;
    const ProcessCost cost = CostOf(before.at(name), after, sagas, RssOf(sampler, name));
    WriteProcessCost(json, name, cost);
    if (!json_output) PrintProcessCost(name, cost);
  }
  json.EndObject();
  return 0;
}

void WriteRecovery(JsonWriter& json, const RecoveryOptions& options, const RecoveryResult& result, bool within) {
  json.Key("freeze")
      .String(options.freeze)
      .Key("orders")
      .Int(result.posted)
      .Key("postErrors")
      .Int(result.post_errors)
      .Key("runningSagasAtKill")
      .Int(result.running_sagas_at_kill)
      .Key("inFlightAtKill")
      .Int(result.in_flight_at_kill)
      .Key("restartedBy")
      .String(result.restarted_by_supervisor ? "supervisor" : "bench")
      .Key("killToHealthySeconds")
      .Raw(Number(result.kill_to_healthy_s))
      .Key("healthyToAllTerminalSeconds")
      .Raw(Number(result.count.healthy_to_all_terminal_s))
      .Key("killToAllTerminalSeconds")
      .Raw(Number(result.count.kill_to_all_terminal_s))
      .Key("completed")
      .Int(result.count.completed)
      .Key("cancelled")
      .Int(result.count.cancelled)
      .Key("unfinished")
      .Int(result.count.unfinished)
      .Key("targetSeconds")
      .Raw(Number(kRecoveryTargetSeconds))
      .Key("withinTarget")
      .Bool(within);
  if (!result.status.ok()) json.Key("error").String(result.status.message());
}

void PrintRecovery(const RecoveryOptions& options, const RecoveryResult& result, bool within) {
  std::printf(
      "recovery (%s frozen while posting): %d orders (%d errors); at the kill %d in flight, %d running sagas\n"
      "  restarted by %s, healthy %.3f s after the kill; all terminal %.3f s after the restart (%.3f s after "
      "the kill; target %.0f s: %s)\n"
      "  %d completed, %d cancelled, %d unfinished\n",
      options.freeze.c_str(), result.posted, result.post_errors, result.in_flight_at_kill, result.running_sagas_at_kill,
      result.restarted_by_supervisor ? "the supervisor" : "the bench", result.kill_to_healthy_s,
      result.count.healthy_to_all_terminal_s, result.count.kill_to_all_terminal_s, kRecoveryTargetSeconds,
      within ? "met" : "missed", result.count.completed, result.count.cancelled, result.count.unfinished);
  if (!result.status.ok()) std::printf("  error: %s\n", result.status.message().c_str());
}

Result<std::map<std::string, int64_t>> ReadStockFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::map<std::string, int64_t>{};  // only needed for a product inventory.db lacks
  std::stringstream text;
  text << in.rdbuf();
  return ParseStockFile(text.str());
}

// Seeding writes the databases behind the services' backs: false, once said why, while one of them runs.
bool SystemStopped(const std::string& home) {
  const auto pids = ReadPidFiles(home);
  const auto running = std::ranges::find_if(pids, [](const auto& entry) { return IsAlive(entry.second); });
  if (running == pids.end()) return true;
  std::fprintf(stderr, "sagaflow-bench: %s is running (pid %d): stop the system first (scripts/stop)\n",
               running->first.c_str(), running->second);
  return false;
}

// What seeding writes: flags.orders orders over the last hour; nullopt once said why not.
std::optional<SeedOptions> PlanSeeding(const BenchFlags& flags) {
  if (!SystemStopped(flags.home)) return std::nullopt;
  auto stock = ReadStockFile(flags.stock_file);
  if (!stock.ok()) {
    std::fprintf(stderr, "sagaflow-bench: %s: %s\n", flags.stock_file.c_str(), stock.status().message().c_str());
    return std::nullopt;
  }
  SeedOptions options;
  options.data_dir = flags.home + "/data";
  options.plan = RecentHistory(flags.orders, SystemClock().Now(),
                               flags.seed != 0 ? static_cast<uint64_t>(flags.seed) : SeededRandom::SeedFromDevice());
  options.initial_stock = *stock;
  return options;
}

ModeEnd SeedHistoryMode(const BenchFlags& flags, JsonWriter& json) {
  auto options = PlanSeeding(flags);
  if (!options) return NoReport(2);
  const int64_t orders = flags.orders;
  const bool json_output = flags.JsonOutput();
  std::mutex mu;  // the five databases' writers may report at once
  options->progress = [&](const std::string& database, int64_t done) {
    if (json_output) return;
    std::lock_guard lock(mu);
    std::fprintf(stderr, "\r%-17s %lld/%lld   ", database.c_str(), static_cast<long long>(done),
                 static_cast<long long>(orders));
  };
  const auto start = std::chrono::steady_clock::now();
  Status seeded = SeedHistory(*options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!json_output) std::fprintf(stderr, "\n");
  if (!seeded.ok()) {
    std::fprintf(stderr, "sagaflow-bench: seeding failed: %s\n", seeded.message().c_str());
    return NoReport(1);
  }
  json.Key("orders").Int(orders).Key("seconds").Raw(Number(seconds));
  if (!json_output) {
    std::printf("seeded %lld finished orders into %s/data in %.1f s (%.0f orders/s)\n", static_cast<long long>(orders),
                flags.home.c_str(), seconds, orders / seconds);
  }
  return {};
}

ModeEnd OrdersMode(const BenchFlags& flags, JsonWriter& json) {
  auto observer = ReadLogin(flags.home, messaging::kObserverAccount);
  if (!observer) return NoReport(1);
  LoadOptions options;
  options.mqtt_uri = flags.MqttUri();
  options.mqtt_login = *observer;
  options.http_port = static_cast<int>(flags.http_port);
  options.clients = static_cast<int>(flags.clients);
  options.orders = static_cast<int>(flags.orders);
  options.rate = static_cast<double>(flags.rate);
  options.duration_s = static_cast<double>(flags.seconds);
  options.progress = !flags.JsonOutput();
  return {RunOrders(options, flags.home, flags.JsonOutput(), json)};
}

ModeEnd RecoveryMode(const BenchFlags& flags, JsonWriter& json) {
  auto observer = ReadLogin(flags.home, messaging::kObserverAccount);
  if (!observer) return NoReport(1);
  RecoveryOptions options;
  options.mqtt_uri = flags.MqttUri();
  options.mqtt_login = *observer;
  options.home = flags.home;
  options.http_port = static_cast<int>(flags.http_port);
  options.orders = static_cast<int>(flags.orders);
  options.clients = static_cast<int>(flags.clients);
  options.freeze = flags.freeze;
  options.progress = !flags.JsonOutput();
  RecoveryResult result = RunRecovery(options);
  const bool within = result.status.ok() && result.count.healthy_to_all_terminal_s <= kRecoveryTargetSeconds;
  WriteRecovery(json, options, result, within);
  if (!flags.JsonOutput()) PrintRecovery(options, result, within);
  return {result.status.ok() ? 0 : 1};
}

ModeEnd SqliteMode(const BenchFlags& flags, JsonWriter& json) {
  const auto limit = MeasureSqlite(std::filesystem::temp_directory_path().string(), flags.durability,
                                   static_cast<double>(flags.seconds));
  json.Key("durability")
      .String(flags.durability)
      .Key("commitsPerSecond")
      .Raw(Number(limit.commits_per_second))
      .Key("rowsPerSecondBatched")
      .Raw(Number(limit.rows_per_second_batched));
  if (!flags.JsonOutput()) {
    std::printf("sqlite (synchronous=%s): %.0f commits/s one row each; %.0f rows/s in 100-row transactions\n",
                flags.durability.c_str(), limit.commits_per_second, limit.rows_per_second_batched);
  }
  return {};
}

ModeEnd MqttMode(const BenchFlags& flags, JsonWriter& json) {
  auto publisher = ReadLogin(flags.home, messaging::kBenchAccount);
  if (!publisher) return NoReport(1);
  auto subscriber = ReadLogin(flags.home, messaging::kObserverAccount);
  if (!subscriber) return NoReport(1);
  auto limit = MeasureMqtt(flags.MqttUri(), *publisher, *subscriber, static_cast<int>(flags.messages));
  json.Key("roundTripsPerSecond").Raw(Number(limit.round_trips_per_second));
  WriteLatency(json, "roundTripMs", limit.round_trip_ms);
  json.Key("pipelinedPerSecond").Raw(Number(limit.pipelined_per_second));
  if (!flags.JsonOutput()) {
    std::printf("mqtt QoS 1: %.0f round trips/s one at a time; %.0f msg/s with 100 in flight\n",
                limit.round_trips_per_second, limit.pipelined_per_second);
    PrintLatency("round trip", limit.round_trip_ms);
  }
  return {};
}

void WriteConsoleReads(JsonWriter& json, const ConsoleReadsOptions& options, const ConsoleReadsResult& result) {
  json.Key("consolePort").Int(options.console_port).Key("sagas").Int(result.sagas);
  json.Key("repeats").Int(options.repeats).Key("depth").Int(options.depth).Key("queries").BeginArray();
  for (const QueryTiming& query : result.queries) {
    json.BeginObject().Key("name").String(query.name).Key("path").String(query.path);
    json.Key("rows").Int(query.rows).Key("requests").Int(query.requests);
    if (query.pages > 0) json.Key("pages").Int(query.pages);
    json.Key("p50Ms").Raw(Number(query.p50_ms)).Key("p99Ms").Raw(Number(query.p99_ms));
    json.Key("maxMs").Raw(Number(query.max_ms)).EndObject();
  }
  json.EndArray();
  if (!result.status.ok()) json.Key("error").String(result.status.message());
}

void PrintConsoleReads(const ConsoleReadsOptions& options, const ConsoleReadsResult& result) {
  std::printf("console on port %d over %lld sagas, each query %d times:\n", options.console_port,
              static_cast<long long>(result.sagas), options.repeats);
  for (const QueryTiming& query : result.queries) {
    const std::string pages = query.pages > 0 ? " (" + std::to_string(query.pages) + " pages)" : "";
    std::printf("  %-34s %6lld rows%-12s p50 %8.2f  p99 %8.2f  max %8.2f ms\n", query.name.c_str(),
                static_cast<long long>(query.rows), pages.c_str(), query.p50_ms, query.p99_ms, query.max_ms);
  }
  if (!result.status.ok()) std::printf("  error: %s\n", result.status.message().c_str());
}

ModeEnd ConsoleMode(const BenchFlags& flags, JsonWriter& json) {
  if (flags.http_port + kConsolePortOffset > 65535) {
    std::fprintf(stderr, "sagaflow-bench: no console port above --http-port %lld\n",
                 static_cast<long long>(flags.http_port));
    return NoReport(2);
  }
  ConsoleReadsOptions options;
  options.home = flags.home;
  options.console_port = static_cast<int>(flags.http_port) + kConsolePortOffset;
  options.repeats = static_cast<int>(flags.pages);
  options.depth = static_cast<int>(flags.depth);
  const ConsoleReadsResult result = MeasureConsoleReads(options);
  WriteConsoleReads(json, options, result);
  if (!flags.JsonOutput()) PrintConsoleReads(options, result);
  return {result.status.ok() ? 0 : 1};
}

struct Mode {
  std::string_view name;
  ModeEnd (*run)(const BenchFlags&, JsonWriter&);
};

// The --mode choices, in the order --help lists them; the first is the default.
constexpr std::array<Mode, 6> kModes = {{{"orders", OrdersMode},
                                         {"recovery", RecoveryMode},
                                         {"seed-history", SeedHistoryMode},
                                         {"console", ConsoleMode},
                                         {"sqlite", SqliteMode},
                                         {"mqtt", MqttMode}}};

std::vector<std::string> ModeNames() {
  std::vector<std::string> names;
  names.reserve(kModes.size());
  for (const auto& mode : kModes) names.emplace_back(mode.name);
  return names;
}

// FlagSet accepts no other name than those of kModes.
const Mode& ModeNamed(const std::string& name) {
  for (const auto& mode : kModes) {
    if (mode.name == name) return mode;
  }
  return kModes.front();
}

void DefineFlags(FlagSet& flags, BenchFlags& values) {
  flags.AddChoice("mode", "", std::string(kModes.front().name), ModeNames(), "what to measure", &values.mode);
  flags.AddString("home", "SAGAFLOW_HOME", "var", "the system's home (pid files, databases)", &values.home);
  flags.AddString("mqtt-url", "SAGAFLOW_MQTT_URL", "", "broker URI (default tcp://127.0.0.1:<mqtt-port>)",
                  &values.mqtt_url);
  flags.AddInt("mqtt-port", "SAGAFLOW_MQTT_PORT", 1883, 1, 65535, "broker port", &values.mqtt_port);
  flags.AddInt("http-port", "SAGAFLOW_HTTP_PORT", 5000, 1, 65535, "order service port (the console's is this + 5)",
               &values.http_port);
  flags.AddInt("orders", "", 20000, 1, 100'000'000,
               "closed loop and recovery: orders to post; seed-history: finished orders to write", &values.orders);
  flags.AddInt("clients", "", 64, 1, 1024, "concurrent HTTP clients (keep-alive)", &values.clients);
  flags.AddInt("rate", "", 0, 0, 1'000'000, "open loop: orders per second (0: closed loop)", &values.rate);
  flags.AddInt("seconds", "", 30, 1, 86400, "open loop and sqlite: how long", &values.seconds);
  flags.AddInt("messages", "", 20000, 1, 10'000'000, "mqtt: messages per measurement", &values.messages);
  flags.AddChoice("durability", "SAGAFLOW_DURABILITY", "full", {"full", "normal"}, "sqlite: synchronous mode",
                  &values.durability);
  flags.AddChoice("freeze", "", "steps", {"steps", "orchestrator"},
                  "recovery: what is frozen while posting (steps: payment and inventory)", &values.freeze);
  flags.AddString("stock-file", "SAGAFLOW_STOCK_FILE", "config/stock.json",
                  "seed-history: initial stock of a product not yet in inventory.db", &values.stock_file);
  flags.AddInt("seed", "", 0, 0, INT64_MAX, "seed-history: random seed of the ids (0: random)", &values.seed);
  flags.AddInt("pages", "", 50, 1, 100'000, "console: requests per query, and walks", &values.pages);
  flags.AddInt("depth", "", 100, 1, 100'000, "console: pages per walk by cursor", &values.depth);
  flags.AddChoice("json", "", "no", {"no", "yes"}, "print one JSON object instead of text", &values.json_flag);
}

// Reads the command line into `values`; an exit code when it ends the run (--help: 0, a bad flag: 2).
std::optional<int> ReadCommandLine(int argc, char** argv, BenchFlags& values) {
  FlagSet flags("sagaflow-bench", "Measures a running sagaflow and the machine's limits.");
  DefineFlags(flags, values);
  // A bare --json is --json=yes (FlagSet's choices take a value).
  std::vector<const char*> args(argv, argv + argc);
  for (auto& arg : args) {
    if (std::string(arg) == "--json") arg = "--json=yes";
  }
  // Before any thread starts: getenv cannot race a setenv.
  Status parsed = flags.Parse(static_cast<int>(args.size()), args.data(),
                              [](const char* n) { return std::getenv(n); });  // NOLINT(concurrency-mt-unsafe)
  if (!parsed.ok()) {
    std::fprintf(stderr, "sagaflow-bench: %s\n", parsed.message().c_str());
    return 2;
  }
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  BenchFlags flags;
  if (auto exit_code = ReadCommandLine(argc, argv, flags)) return *exit_code;
  JsonWriter json;
  json.BeginObject().Key("mode").String(flags.mode);
  const ModeEnd end = ModeNamed(flags.mode).run(flags, json);
  if (!end.reported) return end.exit_code;
  json.EndObject();
  if (flags.JsonOutput()) std::cout << json.str() << "\n";
  return end.exit_code;
}

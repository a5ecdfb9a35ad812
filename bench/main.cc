// sagaflow-bench: measures a running sagaflow (it starts nothing). See bench/load.h, bench/limits.h,
// bench/recovery.h and bench/seed_history.h.
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
//   sagaflow-bench --mode sqlite [--durability full|normal] [--seconds S]
//   sagaflow-bench --mode mqtt [--messages N]
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>

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

int RunOrders(const LoadOptions& options, const std::string& home, bool json_output, JsonWriter& json) {
  const auto pids = ReadPidFiles(home);
  std::map<std::string, ProcessStats> before;
  for (const auto& [name, pid] : pids) before[name] = ReadProcessStats(pid);
  const auto fsyncs_before = ReadServiceMetric(options.http_port, kFsyncsMetric);
  RssSampler sampler(pids, kRssPeriod);
  sampler.Start();
  LoadResult result = RunLoad(options);
  sampler.Stop();
  const bool open_loop = options.rate > 0;
  json.Key("loop")
      .String(open_loop ? "open" : "closed")
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
  json.Key("sampledSeconds").Raw(Number(sampler.seconds()));
  // What each saga cost, all processes together: fsyncs (the syncers' and the checkpoints') and CPU.
  const double sagas = std::max(1, result.completed + result.cancelled);
  const auto fsyncs_after = ReadServiceMetric(options.http_port, kFsyncsMetric);
  double fsyncs = 0;
  for (const auto& [service, count] : fsyncs_after) {
    const auto was = fsyncs_before.find(service);
    fsyncs += count - (was == fsyncs_before.end() ? 0 : was->second);
  }
  json.Key("fsyncsPerSaga").Raw(Number(fsyncs / sagas));
  json.Key("processes").BeginObject();
  if (!json_output) {
    std::printf("%s loop%s: %d orders (%d errors), %d completed, %d cancelled, %.1f s, %.0f sagas/s\n",
                open_loop ? "open" : "closed",
                open_loop ? (" at " + std::to_string(static_cast<int64_t>(options.rate)) + "/s").c_str() : "",
                result.posted, result.post_errors, result.completed, result.cancelled, result.seconds,
                result.sagas_per_second);
    PrintLatency("POST", result.post_ms);
    PrintLatency("end to end", result.end_to_end_ms);
    std::printf("fsyncs per saga    %.2f (all services)\n", fsyncs / sagas);
  }
  for (const auto& [name, pid] : pids) {
    const ProcessStats after = ReadProcessStats(pid);
    if (!after.ok) continue;
    const double cpu = after.cpu_seconds - before[name].cpu_seconds;
    const int64_t io_syscalls = after.io_syscalls - before[name].io_syscalls;
    const int64_t switches = after.context_switches - before[name].context_switches;
    auto samples = sampler.samples().find(name);
    const RssSummary rss = SummarizeRss(samples == sampler.samples().end() ? std::vector<RssSample>{} : samples->second,
                                        sampler.seconds(), kRssTimelineSeconds);
    json.Key(name)
        .BeginObject()
        .Key("cpuSeconds")
        .Raw(Number(cpu))
        .Key("cpuMsPerSaga")
        .Raw(Number(cpu * 1000 / sagas))
        .Key("ioSyscallsPerSaga")
        .Raw(Number(static_cast<double>(io_syscalls) / sagas))
        .Key("contextSwitchesPerSaga")
        .Raw(Number(static_cast<double>(switches) / sagas))
        .Key("peakRssKb")
        .Int(after.peak_rss_kb);
    WriteRss(json, rss);
    json.EndObject();
    if (!json_output) {
      std::printf(
          "  %-22s cpu %7.2f s (%.3f ms/saga, %.0f I/O syscalls, %.0f context switches)   peak rss %7.1f MiB   "
          "rss at %.0f s %7.1f, at end %7.1f, max %7.1f MiB\n",
          name.c_str(), cpu, cpu * 1000 / sagas, static_cast<double>(io_syscalls) / sagas,
          static_cast<double>(switches) / sagas, after.peak_rss_kb / 1024.0, rss.mark_seconds, rss.at_mark_kb / 1024.0,
          rss.end_kb / 1024.0, rss.max_kb / 1024.0);
    }
  }
  json.EndObject();
  return 0;
}

int RunRecoveryMode(const RecoveryOptions& options, bool json_output, JsonWriter& json) {
  RecoveryResult result = RunRecovery(options);
  const bool within = result.status.ok() && result.count.healthy_to_all_terminal_s <= kRecoveryTargetSeconds;
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
  if (!json_output) {
    std::printf(
        "recovery (%s frozen while posting): %d orders (%d errors); at the kill %d in flight, %d running sagas\n"
        "  restarted by %s, healthy %.3f s after the kill; all terminal %.3f s after the restart (%.3f s after "
        "the kill; target %.0f s: %s)\n"
        "  %d completed, %d cancelled, %d unfinished\n",
        options.freeze.c_str(), result.posted, result.post_errors, result.in_flight_at_kill,
        result.running_sagas_at_kill, result.restarted_by_supervisor ? "the supervisor" : "the bench",
        result.kill_to_healthy_s, result.count.healthy_to_all_terminal_s, result.count.kill_to_all_terminal_s,
        kRecoveryTargetSeconds, within ? "met" : "missed", result.count.completed, result.count.cancelled,
        result.count.unfinished);
    if (!result.status.ok()) std::printf("  error: %s\n", result.status.message().c_str());
  }
  return result.status.ok() ? 0 : 1;
}

Result<std::map<std::string, int64_t>> ReadStockFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::map<std::string, int64_t>{};  // only needed for a product inventory.db lacks
  std::stringstream text;
  text << in.rdbuf();
  return ParseStockFile(text.str());
}

int RunSeedHistory(const std::string& home, int64_t orders, const std::string& stock_file, int64_t seed,
                   bool json_output, JsonWriter& json) {
  for (const auto& [name, pid] : ReadPidFiles(home)) {
    if (IsAlive(pid)) {
      std::fprintf(stderr, "sagaflow-bench: %s is running (pid %d): stop the system first (scripts/stop)\n",
                   name.c_str(), pid);
      return 2;
    }
  }
  auto stock = ReadStockFile(stock_file);
  if (!stock.ok()) {
    std::fprintf(stderr, "sagaflow-bench: %s: %s\n", stock_file.c_str(), stock.status().message().c_str());
    return 2;
  }
  SeedOptions options;
  options.data_dir = home + "/data";
  options.plan = RecentHistory(orders, SystemClock().Now(),
                               seed != 0 ? static_cast<uint64_t>(seed) : SeededRandom::SeedFromDevice());
  options.initial_stock = *stock;
  std::mutex mu;
  options.progress = [&](const std::string& database, int64_t done) {
    if (json_output) return;
    std::lock_guard lock(mu);
    std::fprintf(stderr, "\r%-17s %lld/%lld   ", database.c_str(), static_cast<long long>(done),
                 static_cast<long long>(orders));
  };
  const auto start = std::chrono::steady_clock::now();
  Status seeded = SeedHistory(options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!json_output) std::fprintf(stderr, "\n");
  if (!seeded.ok()) {
    std::fprintf(stderr, "sagaflow-bench: seeding failed: %s\n", seeded.message().c_str());
    return 1;
  }
  json.Key("orders").Int(orders).Key("seconds").Raw(Number(seconds));
  if (!json_output) {
    std::printf("seeded %lld finished orders into %s/data in %.1f s (%.0f orders/s)\n", static_cast<long long>(orders),
                home.c_str(), seconds, orders / seconds);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode, home, mqtt_url, durability, freeze, stock_file;
  int64_t mqtt_port = 1883, http_port = 5000, orders = 20000, clients = 64, messages = 20000;
  int64_t rate = 0, seconds = 30, seed = 0;
  std::string json_flag;
  FlagSet flags("sagaflow-bench", "Measures a running sagaflow and the machine's limits.");
  flags.AddChoice("mode", "", "orders", {"orders", "recovery", "seed-history", "sqlite", "mqtt"}, "what to measure",
                  &mode);
  flags.AddString("home", "SAGAFLOW_HOME", "var", "the system's home (pid files, databases)", &home);
  flags.AddString("mqtt-url", "SAGAFLOW_MQTT_URL", "", "broker URI (default tcp://127.0.0.1:<mqtt-port>)", &mqtt_url);
  flags.AddInt("mqtt-port", "SAGAFLOW_MQTT_PORT", 1883, 1, 65535, "broker port", &mqtt_port);
  flags.AddInt("http-port", "SAGAFLOW_HTTP_PORT", 5000, 1, 65535, "order service port", &http_port);
  flags.AddInt("orders", "", 20000, 1, 100'000'000,
               "closed loop and recovery: orders to post; seed-history: finished orders to write", &orders);
  flags.AddInt("clients", "", 64, 1, 1024, "concurrent HTTP clients (keep-alive)", &clients);
  flags.AddInt("rate", "", 0, 0, 1'000'000, "open loop: orders per second (0: closed loop)", &rate);
  flags.AddInt("seconds", "", 30, 1, 86400, "open loop and sqlite: how long", &seconds);
  flags.AddInt("messages", "", 20000, 1, 10'000'000, "mqtt: messages per measurement", &messages);
  flags.AddChoice("durability", "SAGAFLOW_DURABILITY", "full", {"full", "normal"}, "sqlite: synchronous mode",
                  &durability);
  flags.AddChoice("freeze", "", "steps", {"steps", "orchestrator"},
                  "recovery: what is frozen while posting (steps: payment and inventory)", &freeze);
  flags.AddString("stock-file", "SAGAFLOW_STOCK_FILE", "config/stock.json",
                  "seed-history: initial stock of a product not yet in inventory.db", &stock_file);
  flags.AddInt("seed", "", 0, 0, INT64_MAX, "seed-history: random seed of the ids (0: random)", &seed);
  flags.AddChoice("json", "", "no", {"no", "yes"}, "print one JSON object instead of text", &json_flag);
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
  const bool json_output = json_flag == "yes";
  const std::string uri = mqtt_url.empty() ? "tcp://127.0.0.1:" + std::to_string(mqtt_port) : mqtt_url;
  messaging::BrokerLogin observer;
  if (mode == "orders" || mode == "recovery") {
    auto login = messaging::ReadBrokerLogin(home, std::string(messaging::kObserverAccount));
    if (!login.ok()) {
      std::fprintf(stderr, "sagaflow-bench: %s\n", login.status().message().c_str());
      return 1;
    }
    observer = *login;
  }
  JsonWriter json;
  json.BeginObject().Key("mode").String(mode);
  int exit_code = 0;

  if (mode == "sqlite") {
    const auto limit =
        MeasureSqlite(std::filesystem::temp_directory_path().string(), durability, static_cast<double>(seconds));
    json.Key("durability")
        .String(durability)
        .Key("commitsPerSecond")
        .Raw(Number(limit.commits_per_second))
        .Key("rowsPerSecondBatched")
        .Raw(Number(limit.rows_per_second_batched));
    if (!json_output) {
      std::printf("sqlite (synchronous=%s): %.0f commits/s one row each; %.0f rows/s in 100-row transactions\n",
                  durability.c_str(), limit.commits_per_second, limit.rows_per_second_batched);
    }
  } else if (mode == "mqtt") {
    auto publisher = messaging::ReadBrokerLogin(home, std::string(messaging::kBenchAccount));
    auto subscriber = messaging::ReadBrokerLogin(home, std::string(messaging::kObserverAccount));
    if (!publisher.ok() || !subscriber.ok()) {
      std::fprintf(stderr, "sagaflow-bench: %s\n",
                   (publisher.ok() ? subscriber.status() : publisher.status()).message().c_str());
      return 1;
    }
    auto limit = MeasureMqtt(uri, *publisher, *subscriber, static_cast<int>(messages));
    json.Key("roundTripsPerSecond").Raw(Number(limit.round_trips_per_second));
    WriteLatency(json, "roundTripMs", limit.round_trip_ms);
    json.Key("pipelinedPerSecond").Raw(Number(limit.pipelined_per_second));
    if (!json_output) {
      std::printf("mqtt QoS 1: %.0f round trips/s one at a time; %.0f msg/s with 100 in flight\n",
                  limit.round_trips_per_second, limit.pipelined_per_second);
      PrintLatency("round trip", limit.round_trip_ms);
    }
  } else if (mode == "recovery") {
    RecoveryOptions options;
    options.mqtt_uri = uri;
    options.mqtt_login = observer;
    options.home = home;
    options.http_port = static_cast<int>(http_port);
    options.orders = static_cast<int>(orders);
    options.clients = static_cast<int>(clients);
    options.freeze = freeze;
    options.progress = !json_output;
    exit_code = RunRecoveryMode(options, json_output, json);
  } else if (mode == "seed-history") {
    exit_code = RunSeedHistory(home, orders, stock_file, seed, json_output, json);
    if (exit_code != 0) return exit_code;
  } else {
    LoadOptions options;
    options.mqtt_uri = uri;
    options.mqtt_login = observer;
    options.http_port = static_cast<int>(http_port);
    options.clients = static_cast<int>(clients);
    options.orders = static_cast<int>(orders);
    options.rate = static_cast<double>(rate);
    options.duration_s = static_cast<double>(seconds);
    options.progress = !json_output;
    exit_code = RunOrders(options, home, json_output, json);
  }
  json.EndObject();
  if (json_output) std::cout << json.str() << "\n";
  return exit_code;
}

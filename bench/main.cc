// sagaflow-bench: measures a running sagaflow (it starts nothing). See bench/load.h and bench/limits.h.
//   sagaflow-bench --mode orders [--orders N --clients C | --rate R --seconds S] [--json]
//   sagaflow-bench --mode sqlite [--durability full|normal] [--seconds S]
//   sagaflow-bench --mode mqtt [--messages N]
#include <dirent.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "bench/limits.h"
#include "bench/load.h"
#include "common/flags.h"
#include "common/json_writer.h"

namespace {

using namespace sagaflow;
using namespace sagaflow::bench;

std::map<std::string, pid_t> ReadPids(const std::string& home) {
  std::map<std::string, pid_t> pids;
  const std::filesystem::path run = std::filesystem::path(home) / "run";
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(run, error)) {
    if (entry.path().extension() != ".pid" || entry.path().stem() == "supervisor") continue;
    std::ifstream in(entry.path());
    pid_t pid = 0;
    if (in >> pid) pids[entry.path().stem().string()] = pid;
  }
  return pids;
}

void WriteLatency(JsonWriter& json, const char* name, Samples& samples) {
  json.Key(name).BeginObject();
  for (const auto& [label, q] :
       std::vector<std::pair<const char*, double>>{{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}, {"p999", 0.999}}) {
    json.Key(label).Raw(std::to_string(samples.Quantile(q)));
  }
  json.Key("max").Raw(std::to_string(samples.Max())).EndObject();
}

void PrintLatency(const char* name, Samples& samples) {
  std::printf("%-18s p50 %8.2f  p90 %8.2f  p99 %8.2f  p99.9 %8.2f  max %8.2f ms\n", name, samples.Quantile(0.5),
              samples.Quantile(0.9), samples.Quantile(0.99), samples.Quantile(0.999), samples.Max());
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode, home, mqtt_url, durability;
  int64_t mqtt_port = 1883, http_port = 5000, orders = 20000, clients = 64, messages = 20000;
  int64_t rate = 0, seconds = 30;
  std::string json_flag;
  FlagSet flags("sagaflow-bench", "Measures a running sagaflow and the machine's limits.");
  flags.AddChoice("mode", "", "orders", {"orders", "sqlite", "mqtt"}, "what to measure", &mode);
  flags.AddString("home", "SAGAFLOW_HOME", "var", "the running system's home (pid files for CPU and memory)", &home);
  flags.AddString("mqtt-url", "SAGAFLOW_MQTT_URL", "", "broker URI (default tcp://127.0.0.1:<mqtt-port>)", &mqtt_url);
  flags.AddInt("mqtt-port", "SAGAFLOW_MQTT_PORT", 1883, 1, 65535, "broker port", &mqtt_port);
  flags.AddInt("http-port", "SAGAFLOW_HTTP_PORT", 5000, 1, 65535, "order service port", &http_port);
  flags.AddInt("orders", "", 20000, 1, 10'000'000, "closed loop: orders to post", &orders);
  flags.AddInt("clients", "", 64, 1, 1024, "concurrent HTTP clients (keep-alive)", &clients);
  flags.AddInt("rate", "", 0, 0, 1'000'000, "open loop: orders per second (0: closed loop)", &rate);
  flags.AddInt("seconds", "", 30, 1, 86400, "open loop and sqlite: how long", &seconds);
  flags.AddInt("messages", "", 20000, 1, 10'000'000, "mqtt: messages per measurement", &messages);
  flags.AddChoice("durability", "SAGAFLOW_DURABILITY", "full", {"full", "normal"}, "sqlite: synchronous mode",
                  &durability);
  flags.AddChoice("json", "", "no", {"no", "yes"}, "print one JSON object instead of text", &json_flag);
  std::vector<const char*> args(argv, argv + argc);
  for (auto& arg : args) {
    if (std::string(arg) == "--json") arg = "--json=yes";
  }
  Status parsed = flags.Parse(static_cast<int>(args.size()), args.data(), [](const char* n) { return std::getenv(n); });
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
  JsonWriter json;
  json.BeginObject().Key("mode").String(mode);

  if (mode == "sqlite") {
    const auto limit =
        MeasureSqlite(std::filesystem::temp_directory_path().string(), durability, static_cast<double>(seconds));
    json.Key("durability")
        .String(durability)
        .Key("commitsPerSecond")
        .Raw(std::to_string(limit.commits_per_second))
        .Key("rowsPerSecondBatched")
        .Raw(std::to_string(limit.rows_per_second_batched))
        .EndObject();
    if (!json_output) {
      std::printf("sqlite (synchronous=%s): %.0f commits/s one row each; %.0f rows/s in 100-row transactions\n",
                  durability.c_str(), limit.commits_per_second, limit.rows_per_second_batched);
    }
  } else if (mode == "mqtt") {
    auto limit = MeasureMqtt(uri, static_cast<int>(messages));
    json.Key("roundTripsPerSecond").Raw(std::to_string(limit.round_trips_per_second));
    WriteLatency(json, "roundTripMs", limit.round_trip_ms);
    json.Key("pipelinedPerSecond").Raw(std::to_string(limit.pipelined_per_second)).EndObject();
    if (!json_output) {
      std::printf("mqtt QoS 1: %.0f round trips/s one at a time; %.0f msg/s with 100 in flight\n",
                  limit.round_trips_per_second, limit.pipelined_per_second);
      PrintLatency("round trip", limit.round_trip_ms);
    }
  } else {
    const auto pids = ReadPids(home);
    std::map<std::string, ProcessStats> before;
    for (const auto& [name, pid] : pids) before[name] = ReadProcessStats(pid);
    LoadOptions options;
    options.mqtt_uri = uri;
    options.http_port = static_cast<int>(http_port);
    options.clients = static_cast<int>(clients);
    options.orders = static_cast<int>(orders);
    options.rate = static_cast<double>(rate);
    options.duration_s = static_cast<double>(seconds);
    options.progress = !json_output;
    LoadResult result = RunLoad(options);
    json.Key("loop")
        .String(rate > 0 ? "open" : "closed")
        .Key("offeredRate")
        .Int(rate)
        .Key("clients")
        .Int(clients)
        .Key("orders")
        .Int(result.posted)
        .Key("postErrors")
        .Int(result.post_errors)
        .Key("completed")
        .Int(result.completed)
        .Key("cancelled")
        .Int(result.cancelled)
        .Key("seconds")
        .Raw(std::to_string(result.seconds))
        .Key("sagasPerSecond")
        .Raw(std::to_string(result.sagas_per_second));
    WriteLatency(json, "postMs", result.post_ms);
    WriteLatency(json, "endToEndMs", result.end_to_end_ms);
    json.Key("processes").BeginObject();
    if (!json_output) {
      std::printf("%s loop%s: %d orders (%d errors), %d completed, %d cancelled, %.1f s, %.0f sagas/s\n",
                  rate > 0 ? "open" : "closed", rate > 0 ? (" at " + std::to_string(rate) + "/s").c_str() : "",
                  result.posted, result.post_errors, result.completed, result.cancelled, result.seconds,
                  result.sagas_per_second);
      PrintLatency("POST", result.post_ms);
      PrintLatency("end to end", result.end_to_end_ms);
    }
    for (const auto& [name, pid] : pids) {
      const ProcessStats after = ReadProcessStats(pid);
      if (!after.ok) continue;
      const double cpu = after.cpu_seconds - before[name].cpu_seconds;
      json.Key(name)
          .BeginObject()
          .Key("cpuSeconds")
          .Raw(std::to_string(cpu))
          .Key("peakRssKb")
          .Int(after.peak_rss_kb)
          .EndObject();
      if (!json_output)
        std::printf("  %-22s cpu %7.2f s   peak rss %7.1f MiB\n", name.c_str(), cpu, after.peak_rss_kb / 1024.0);
    }
    json.EndObject().EndObject();
  }
  if (json_output) std::cout << json.str() << "\n";
  return 0;
}

#include "bench/load.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "bench/outcome_watcher.h"
#include "http/client/http_client.h"

namespace sagaflow::bench {

namespace {

using Clock = std::chrono::steady_clock;

double MillisBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

}  // namespace

LoadResult RunLoad(const LoadOptions& options) {
  LoadResult result;
  OutcomeWatcher outcomes(options.mqtt_uri, options.mqtt_login);
  if (Status connected = outcomes.Connect(); !connected.ok()) {
    std::fprintf(stderr, "sagaflow-bench: %s\n", connected.message().c_str());
    return result;
  }

  const bool open_loop = options.rate > 0;
  const int total = open_loop ? static_cast<int>(options.rate * options.duration_s) : options.orders;
  const std::string body = R"({"customerId": "bench", "items": [{"productId": ")" + options.product +
                           R"(", "quantity": 1, "price": 1.00}]})";
  std::atomic<int> next{0};
  std::atomic<int> posted{0};
  std::mutex mu;
  std::unordered_map<std::string, Clock::time_point> started;  // orderId -> when its clock started
  std::vector<Samples> post_samples(static_cast<size_t>(options.clients));
  std::atomic<int> errors{0};
  const auto t0 = Clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < options.clients; ++c) {
    clients.emplace_back([&, c] {
      http::HttpClient client(options.http_port);
      for (int i = next++; i < total; i = next++) {
        auto scheduled = Clock::now();
        if (open_loop) {
          scheduled = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(i / options.rate));
          std::this_thread::sleep_until(scheduled);  // the offered rate, not a synchronization
        }
        auto response = client.PostJson("/api/orders", body);
        const auto done = Clock::now();
        simdjson::dom::parser parser;
        auto id = response.status == 202 ? ReadOrderId(parser, response.body) : std::nullopt;
        if (!id) {
          ++errors;
          continue;
        }
        post_samples[static_cast<size_t>(c)].Add(MillisBetween(scheduled, done));
        std::lock_guard lock(mu);
        started.emplace(std::move(*id), scheduled);
        ++posted;
      }
    });
  }
  // Progress while posting and draining.
  const auto finished = [&] {
    std::lock_guard lock(mu);
    return std::make_pair(outcomes.CountEndedKeys(started), started.size());
  };
  std::atomic<bool> posting{true};
  std::thread reporter([&] {
    while (true) {
      std::this_thread::sleep_for(std::chrono::seconds(1));  // the progress line's period
      auto [done, count] = finished();
      if (options.progress) {
        std::fprintf(stderr, "\r%6.1fs posted %d/%d, ended %zu, errors %d   ", MillisBetween(t0, Clock::now()) / 1000,
                     posted.load(), total, done, errors.load());
      }
      if (!posting &&
          (done == count || MillisBetween(t0, Clock::now()) / 1000 > options.duration_s + options.drain_timeout_s)) {
        break;
      }
    }
    if (options.progress) std::fprintf(stderr, "\n");
  });
  for (auto& client : clients) client.join();
  posting = false;
  reporter.join();

  result.posted = posted;
  result.post_errors = errors;
  for (auto& samples : post_samples) result.post_ms.Merge(samples);
  Clock::time_point last = t0;
  const OutcomeMap seen = outcomes.Snapshot();
  for (const auto& [id, start] : started) {
    auto it = seen.find(id);
    if (it == seen.end()) continue;
    (it->second.completed ? result.completed : result.cancelled) += 1;
    result.end_to_end_ms.Add(MillisBetween(start, it->second.at));
    last = std::max(last, it->second.at);
  }
  result.seconds = MillisBetween(t0, last) / 1000;
  result.sagas_per_second = result.seconds > 0 ? (result.completed + result.cancelled) / result.seconds : 0;
  return result;
}

}  // namespace sagaflow::bench

#include "bench/load.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bench/outcome_watcher.h"
#include "http/client/http_client.h"

namespace sagaflow::bench {

namespace {

using Clock = std::chrono::steady_clock;

double MillisBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// What the posting clients and the progress reporter share while the orders are posted.
struct Posting {
  explicit Posting(const LoadOptions& load)
      : options(load),
        open_loop(load.rate > 0),
        total(open_loop ? static_cast<int>(load.rate * load.duration_s) : load.orders),
        body(R"({"customerId": "bench", "items": [{"productId": ")" + load.product +
             R"(", "quantity": 1, "price": 1.00}]})"),
        post_samples(static_cast<size_t>(load.clients)) {}

  const LoadOptions& options;
  const bool open_loop;
  const int total;
  const std::string body;
  std::atomic<int> next{0};
  std::atomic<int> posted{0};
  std::atomic<int> errors{0};
  std::atomic<bool> clients_running{true};
  std::mutex mu;
  std::unordered_map<std::string, Clock::time_point> started;  // orderId -> when its clock started; under mu
  std::vector<Samples> post_samples;                           // one per client
  const Clock::time_point t0 = Clock::now();                   // last: the run starts once the rest is ready
};

// One keep-alive client's share of the orders: the next order not yet taken, until there is none.
void PostAsClient(Posting& posting, int client_index) {
  const LoadOptions& options = posting.options;
  http::HttpClient client(options.http_port);
  for (int i = posting.next++; i < posting.total; i = posting.next++) {
    auto scheduled = Clock::now();
    if (posting.open_loop) {
      scheduled =
          posting.t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(i / options.rate));
      std::this_thread::sleep_until(scheduled);  // the offered rate, not a synchronization
    }
    auto response = client.PostJson("/api/orders", posting.body);
    const auto done = Clock::now();
    simdjson::dom::parser parser;
    auto id = response.status == 202 ? ReadOrderId(parser, response.body) : std::nullopt;
    if (!id) {
      ++posting.errors;
      continue;
    }
    posting.post_samples[static_cast<size_t>(client_index)].Add(MillisBetween(scheduled, done));
    std::lock_guard lock(posting.mu);
    posting.started.emplace(std::move(*id), scheduled);
    ++posting.posted;
  }
}

// A progress line once a second while posting and draining; returns once every posted order ended after
// the clients stopped, or the drain timeout passed.
void ReportProgress(Posting& posting, const OutcomeWatcher& outcomes) {
  const LoadOptions& options = posting.options;
  const auto finished = [&] {
    std::lock_guard lock(posting.mu);
    return std::make_pair(outcomes.CountEndedKeys(posting.started), posting.started.size());
  };
  while (true) {
    std::this_thread::sleep_for(std::chrono::seconds(1));  // the progress line's period
    auto [done, count] = finished();
    const double elapsed_s = MillisBetween(posting.t0, Clock::now()) / 1000;
    if (options.progress) {
      std::fprintf(stderr, "\r%6.1fs posted %d/%d, ended %zu, errors %d   ", elapsed_s, posting.posted.load(),
                   posting.total, done, posting.errors.load());
    }
    if (!posting.clients_running && (done == count || elapsed_s > options.duration_s + options.drain_timeout_s)) {
      break;
    }
  }
  if (options.progress) std::fprintf(stderr, "\n");
}

// The result from what the clients recorded and the outcomes seen.
LoadResult Summarize(Posting& posting, const OutcomeMap& seen) {
  LoadResult result;
  result.posted = posting.posted;
  result.post_errors = posting.errors;
  for (auto& samples : posting.post_samples) result.post_ms.Merge(samples);
  Clock::time_point last = posting.t0;
  for (const auto& [id, start] : posting.started) {
    auto it = seen.find(id);
    if (it == seen.end()) continue;
    (it->second.completed ? result.completed : result.cancelled) += 1;
    result.end_to_end_ms.Add(MillisBetween(start, it->second.at));
    last = std::max(last, it->second.at);
  }
  result.seconds = MillisBetween(posting.t0, last) / 1000;
  result.sagas_per_second = result.seconds > 0 ? (result.completed + result.cancelled) / result.seconds : 0;
  return result;
}

}  // namespace

LoadResult RunLoad(const LoadOptions& options) {
  OutcomeWatcher outcomes(options.mqtt_uri, options.mqtt_login);
  if (Status connected = outcomes.Connect(); !connected.ok()) {
    std::fprintf(stderr, "sagaflow-bench: %s\n", connected.message().c_str());
    return LoadResult{};
  }
  Posting posting(options);
  std::vector<std::thread> clients;
  for (int c = 0; c < options.clients; ++c) clients.emplace_back([&posting, c] { PostAsClient(posting, c); });
  std::thread reporter([&] { ReportProgress(posting, outcomes); });
  for (auto& client : clients) client.join();
  posting.clients_running = false;
  reporter.join();
  return Summarize(posting, outcomes.Snapshot());
}

}  // namespace sagaflow::bench

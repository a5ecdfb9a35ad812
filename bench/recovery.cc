#include "bench/recovery.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "bench/process_control.h"
#include "http/client/http_client.h"
#include "manifest/service_manifest.h"
#include "storage/database.h"

namespace sagaflow::bench {

namespace {

using SteadyClock = std::chrono::steady_clock;

double SecondsBetween(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// Posts `count` orders from `clients` keep-alive clients as fast as they are accepted; returns the ids.
std::vector<std::string> PostOrders(int http_port, int clients, int count, int* errors) {
  const std::string body = R"({"customerId": "bench", "items": [{"productId": "P001", "quantity": 1, "price": 1.00}]})";
  std::atomic<int> next{0}, failed{0};
  std::mutex mu;
  std::vector<std::string> ids;
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      http::HttpClient client(http_port);
      simdjson::dom::parser parser;
      for (int i = next++; i < count; i = next++) {
        auto response = client.PostJson("/api/orders", body);
        auto id = response.status == 202 ? ReadOrderId(parser, response.body) : std::nullopt;
        if (!id) {
          ++failed;
          continue;
        }
        std::lock_guard lock(mu);
        ids.push_back(std::move(*id));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  *errors = failed;
  return ids;
}

// How many of `posted` the orchestrator's database holds as running (or compensating) sagas.
Result<int> CountRunningSagas(storage::Database& db, const std::unordered_set<std::string>& posted) {
  int running = 0;
  Status status = db.Read([&](storage::Sql& sql) {
    auto& select = sql.Prepare("SELECT order_id FROM sagas WHERE state IN ('RUNNING', 'COMPENSATING')");
    while (select.executeStep()) running += static_cast<int>(posted.count(select.getColumn(0).getString()));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return running;
}

// Polls /health until it answers 200; returns that instant.
Result<SteadyClock::time_point> WaitHealthy(int port, std::chrono::seconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (http::HttpClient(port).Get("/health").status != 200) {
    if (SteadyClock::now() > deadline) {
      return Status::Unavailable("port " + std::to_string(port) + " did not answer /health with 200 in time");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling /health for the restart instant
  }
  return SteadyClock::now();
}

// Waits until the orchestrator's database holds every posted order as a running saga, or the deadline
// passes (at once for a frozen orchestrator); returns how many it holds.
int WaitForRunningSagas(storage::Database& db, const std::unordered_set<std::string>& posted,
                        SteadyClock::time_point deadline) {
  int running = 0;
  while (true) {
    if (auto count = CountRunningSagas(db, posted); count.ok()) running = *count;
    if (running >= static_cast<int>(posted.size()) || SteadyClock::now() >= deadline) return running;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // polling the orchestrator's database
  }
}

// Starts the orchestrator again as it ran before, unless a foreground scripts/run does (it restarts a
// dead service after about 1 s). Returns whether the supervisor restarts it.
Result<bool> Restart(const std::string& home, const LaunchSpec& launch) {
  if (SupervisorRunning(home)) return true;
  auto started = Relaunch(launch, PidFilePath(home, "orchestrator"));
  if (!started.ok()) return started.status();
  return false;
}

void Say(const RecoveryOptions& options, const std::string& line) {
  if (options.progress) std::fprintf(stderr, "recovery: %s\n", line.c_str());
}

// The processes the measurement acts on: the orchestrator it kills, and those it freezes while posting.
struct Targets {
  pid_t orchestrator = 0;
  std::vector<pid_t> to_freeze;
};

// The running processes under options.home that the measurement needs; FailedPrecondition if one is missing.
Result<Targets> FindTargets(const RecoveryOptions& options) {
  const auto pids = ReadPidFiles(options.home);
  const auto pid_of = [&](const std::string& name) {
    auto it = pids.find(name);
    return it != pids.end() && IsAlive(it->second) ? it->second : 0;
  };
  Targets targets;
  targets.orchestrator = pid_of("orchestrator");
  if (targets.orchestrator == 0) {
    return Status::FailedPrecondition("no running orchestrator under " + options.home + "/run");
  }
  if (options.freeze == "orchestrator") {
    targets.to_freeze = {targets.orchestrator};
    return targets;
  }
  for (const char* name : {"payment-service", "inventory-service"}) {
    const pid_t pid = pid_of(name);
    if (pid == 0) return Status::FailedPrecondition(std::string("no running ") + name + " under " + options.home);
    targets.to_freeze.push_back(pid);
  }
  return targets;
}

// The orchestrator's database, read-only, to count the sagas it holds.
Result<std::unique_ptr<storage::Database>> OpenSagaDatabase(const std::string& home) {
  return storage::Database::Open({home + "/data/" + ServiceNamed("orchestrator").db_file, storage::Durability::kFull,
                                  Millis(5000), /*read_only=*/true});
}

// Posts the orders (the caller has frozen the targets) and waits until the orchestrator holds them as
// running sagas; returns the ids posted.
std::vector<std::string> PostWhileFrozen(const RecoveryOptions& options, storage::Database& saga_db,
                                         RecoveryResult& result) {
  Say(options, "froze " + options.freeze + "; posting " + std::to_string(options.orders) + " orders");
  std::vector<std::string> posted = PostOrders(options.http_port, options.clients, options.orders, &result.post_errors);
  result.posted = static_cast<int>(posted.size());
  const std::unordered_set<std::string> posted_set(posted.begin(), posted.end());
  // The orchestrator starts a saga per order and then waits for the frozen services' replies.
  const double settle_s = options.freeze == "orchestrator" ? 0.0 : options.settle_timeout_s;
  result.running_sagas_at_kill = WaitForRunningSagas(
      saga_db, posted_set,
      SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(settle_s)));
  Say(options, "the orchestrator holds " + std::to_string(result.running_sagas_at_kill) + " of them as running sagas");
  return posted;
}

// Has the killed orchestrator started again (by the supervisor, or here from `launch`) and waits for its
// /health; returns the instant it answered 200.
Result<SteadyClock::time_point> RestartAndWaitHealthy(const RecoveryOptions& options, const LaunchSpec& launch,
                                                      SteadyClock::time_point kill_at, RecoveryResult& result) {
  auto by_supervisor = Restart(options.home, launch);
  if (!by_supervisor.ok()) return by_supervisor.status();
  result.restarted_by_supervisor = *by_supervisor;
  Say(options, result.restarted_by_supervisor ? "the foreground scripts/run restarts it" : "started it again");
  auto healthy = WaitHealthy(options.http_port + 1, std::chrono::seconds(60));
  if (!healthy.ok()) return healthy.status();
  result.kill_to_healthy_s = SecondsBetween(kill_at, *healthy);
  Say(options, "healthy " + std::to_string(result.kill_to_healthy_s) + " s after the kill");
  return *healthy;
}

// Waits until every posted order has an outcome or the drain timeout after the restart passed, saying how
// many ended once a second.
void WaitForOutcomes(const RecoveryOptions& options, const OutcomeWatcher& outcomes,
                     const std::vector<std::string>& posted, SteadyClock::time_point healthy_at) {
  const auto drain_deadline = healthy_at + std::chrono::duration<double>(options.drain_timeout_s);
  auto next_report = healthy_at + std::chrono::seconds(1);
  size_t ended = 0;
  while ((ended = outcomes.CountEnded(posted)) < posted.size() && SteadyClock::now() < drain_deadline) {
    if (SteadyClock::now() >= next_report) {
      Say(options, std::to_string(ended) + "/" + std::to_string(posted.size()) + " ended");
      next_report += std::chrono::seconds(1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // polling the outcomes seen so far
  }
}

// The measurement, filling in `result` as it goes; not OK where it had to stop.
Status MeasureRecovery(const RecoveryOptions& options, RecoveryResult& result) {
  auto targets = FindTargets(options);
  if (!targets.ok()) return targets.status();
  auto launch = CaptureLaunch(targets->orchestrator);
  if (!launch.ok()) return launch.status();
  auto saga_db = OpenSagaDatabase(options.home);
  if (!saga_db.ok()) return saga_db.status();
  OutcomeWatcher outcomes(options.mqtt_uri, options.mqtt_login);
  if (Status connected = outcomes.Connect(); !connected.ok()) return connected;

  Freeze frozen(targets->to_freeze);
  const std::vector<std::string> posted = PostWhileFrozen(options, **saga_db, result);
  saga_db->reset();
  result.in_flight_at_kill = result.posted - static_cast<int>(outcomes.CountEnded(posted));
  frozen.Thaw();
  const auto kill_at = SteadyClock::now();
  if (Status killed = KillHard(targets->orchestrator, std::chrono::seconds(10)); !killed.ok()) return killed;
  Say(options, "kill -9 of the orchestrator (pid " + std::to_string(targets->orchestrator) + ") with " +
                   std::to_string(result.in_flight_at_kill) + " orders in flight");
  auto healthy_at = RestartAndWaitHealthy(options, *launch, kill_at, result);
  if (!healthy_at.ok()) return healthy_at.status();

  WaitForOutcomes(options, outcomes, posted, *healthy_at);
  result.count = CountRecovery(posted, outcomes.Snapshot(), kill_at, *healthy_at);
  if (result.count.unfinished > 0) {
    return Status::Unavailable(std::to_string(result.count.unfinished) + " orders did not end within " +
                               std::to_string(options.drain_timeout_s) + " s of the restart");
  }
  return Status::Ok();
}

}  // namespace

RecoveryCount CountRecovery(const std::vector<std::string>& posted, const OutcomeMap& outcomes,
                            SteadyClock::time_point kill, SteadyClock::time_point healthy) {
  RecoveryCount count;
  SteadyClock::time_point last = kill;
  for (const auto& id : posted) {
    auto it = outcomes.find(id);
    if (it == outcomes.end()) {
      ++count.unfinished;
      continue;
    }
    (it->second.completed ? count.completed : count.cancelled) += 1;
    last = std::max(last, it->second.at);
  }
  count.healthy_to_all_terminal_s = std::max(0.0, SecondsBetween(healthy, last));
  count.kill_to_all_terminal_s = SecondsBetween(kill, last);
  return count;
}

RecoveryResult RunRecovery(const RecoveryOptions& options) {
  RecoveryResult result;
  result.status = MeasureRecovery(options, result);
  return result;
}

}  // namespace sagaflow::bench

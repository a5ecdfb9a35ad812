#include "tests/chaos/quiescence.h"

#include <map>
#include <sstream>
#include <thread>

namespace sagaflow::testing {

namespace {

using Samples = std::map<std::string, double>;  // series (name with labels) -> value

// The Prometheus text format: "<series> <value>" lines, and comments.
Samples Parse(const std::string& text) {
  Samples samples;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    if (space == std::string::npos) continue;
    samples[line.substr(0, space)] = std::strtod(line.c_str() + space + 1, nullptr);
  }
  return samples;
}

double Family(const Samples& samples, const std::string& family) {
  double sum = 0;
  for (const auto& [series, value] : samples) {
    if (series == family || series.rfind(family + "{", 0) == 0) sum += value;
  }
  return sum;
}

// Counters that move whenever a message is handled or published anywhere (a re-send, a nudge, a late reply).
const std::vector<std::string> kActivity = {"sagaflow_messages_handled_total",   "sagaflow_messages_duplicate_total",
                                            "sagaflow_dead_letters_total",       "sagaflow_outbox_published_total",
                                            "sagaflow_saga_commands_sent_total", "sagaflow_order_nudges_total"};

// What is still going on ("" if nothing pending), and the activity counters of every service into *activity.
std::string Pending(System& system, std::string* activity) {
  activity->clear();
  for (const auto& name : ServiceNames()) {
    HttpClient client(system.http_port() + PortOffsetOf(name));
    auto response = client.Get("/metrics");
    if (response.status != 200) return name + " does not answer /metrics (" + std::to_string(response.status) + ")";
    const Samples samples = Parse(response.body);
    if (Family(samples, "sagaflow_broker_connected") != 1) return name + " is not connected to the broker";
    if (const double backlog = Family(samples, "sagaflow_outbox_backlog"); backlog != 0) {
      return name + " has an outbox backlog of " + std::to_string(static_cast<int64_t>(backlog));
    }
    for (const char* state : {"RUNNING", "COMPENSATING"}) {
      auto it = samples.find(std::string("sagaflow_sagas{state=\"") + state + "\"}");
      if (it != samples.end() && it->second != 0) {
        return name + " has " + std::to_string(static_cast<int64_t>(it->second)) + " " + state + " sagas";
      }
    }
    // Finished sagas too may still await a reply (a late success's compensation backs off to 12 s, longer than any
    // quiet period worth waiting), and only this gauge shows it.
    if (name == "orchestrator" && samples.count("sagaflow_saga_steps_awaiting") == 0) {
      return "the orchestrator does not report sagaflow_saga_steps_awaiting";
    }
    if (const double awaiting = Family(samples, "sagaflow_saga_steps_awaiting"); awaiting != 0) {
      return name + " has " + std::to_string(static_cast<int64_t>(awaiting)) + " saga steps awaiting a reply";
    }
    *activity += name + ":";
    for (const auto& family : kActivity) *activity += " " + std::to_string(Family(samples, family));
    *activity += "\n";
  }
  return "";
}

}  // namespace

bool WaitQuiescent(System& system, std::chrono::milliseconds quiet, std::chrono::milliseconds timeout,
                   std::string* why) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  std::string settled;  // the activity counters since settled_at, while nothing was pending
  Clock::time_point settled_at;
  while (Clock::now() < deadline) {
    std::string activity;
    *why = Pending(system, &activity);
    if (!why->empty()) {
      settled.clear();
    } else if (activity != settled) {
      settled = activity;
      settled_at = Clock::now();
      *why = "messages were still handled or published";
    } else if (Clock::now() - settled_at >= quiet) {
      return true;
    } else {
      *why = "quiet for less than " + std::to_string(quiet.count()) + " ms";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));  // the polling interval, not a synchronization
  }
  return false;
}

}  // namespace sagaflow::testing

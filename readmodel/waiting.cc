#include "readmodel/waiting.h"

#include "common/time_format.h"
#include "readmodel/stuck.h"

namespace sagaflow::readmodel {

namespace {

std::string TimeOrEmpty(const std::optional<TimePoint>& at) {
  return at ? FormatIso8601(*at) : "";
}

Wait StepWait(const StepRecord& step, bool late_success) {
  const bool compensating = step.status == "COMPENSATING";
  Wait wait;
  wait.kind = compensating ? Wait::Kind::kCompensationReply : Wait::Kind::kReply;
  wait.step = step.step;
  wait.step_status = step.status;
  wait.since = step.sent_at;
  wait.attempt = compensating ? step.compensation_attempts : step.attempts;
  wait.next_retry_at = step.deadline;
  wait.late_success = late_success;
  return wait;
}

}  // namespace

std::vector<Wait> WaitsOf(std::string_view state, const std::vector<StepRecord>& steps) {
  const bool unfinished = IsUnfinished(state);
  std::vector<Wait> waits;
  for (const auto& step : steps) {
    if (!step.deadline) continue;
    if (!unfinished && step.status != "COMPENSATING") continue;  // the outcome stands; only a late undo goes on
    waits.push_back(StepWait(step, !unfinished));
  }
  if (unfinished && waits.empty()) {
    Wait nothing;
    nothing.kind = state == "FAILED" ? Wait::Kind::kUnconfirmedFailure : Wait::Kind::kStuck;
    waits.push_back(nothing);
  }
  return waits;
}

std::string Explain(const Wait& wait, std::string_view correlation_id) {
  const std::string retry = "run `sagactl retry " + std::string(correlation_id) + "`";
  switch (wait.kind) {
    case Wait::Kind::kStuck:
      return "no step has a pending timer: stuck; " + retry;
    case Wait::Kind::kUnconfirmedFailure:
      return "FAILED: a compensation was never confirmed; " + retry;
    case Wait::Kind::kReply:
    case Wait::Kind::kCompensationReply:
      break;
  }
  const bool compensation = wait.kind == Wait::Kind::kCompensationReply;
  std::string why = "step " + wait.step + " is " + wait.step_status;
  why += compensation ? ": waiting for its compensation's reply since " : ": waiting for its reply since ";
  why += TimeOrEmpty(wait.since) + " (attempt " + std::to_string(wait.attempt) + "); next retry at ";
  why += TimeOrEmpty(wait.next_retry_at);
  if (wait.late_success) why += " (a success reported after the step failed)";
  return why;
}

}  // namespace sagaflow::readmodel

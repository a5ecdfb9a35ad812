// The read model's records about sagas: a listed saga, a step with every column of saga_steps, why a saga waits,
// one saga in full, and the listing's filter and page. Plain values: every string is the database's text as stored
// (untrusted: ids, reasons and replies come from other processes), never escaped here; NULL text is "".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace sagaflow::readmodel {

// One saga as listings show it.
struct SagaRow {
  std::string saga_id;
  std::string correlation_id;  // the column order_id: the value of its definition's correlation field
  std::string definition;
  int64_t definition_version = 0;
  std::string state;
  std::string failure_reason;
  std::string created_at;
  std::string updated_at;
  std::optional<TimePoint> next_timer;  // the earliest deadline of its steps; none when nothing is awaited
};

// One row of saga_steps, every column.
struct StepRecord {
  std::string saga_id;
  std::string step;
  int64_t stage = 0;
  std::string status;
  int64_t attempts = 0;
  int64_t compensation_attempts = 0;
  std::optional<TimePoint> deadline;  // when it is acted on if no reply came
  std::optional<TimePoint> sent_at;
  std::string failure_reason;
  std::string last_reply;
  std::string updated_at;
  std::optional<int64_t> outbox_id;
  std::optional<int64_t> wait_ms;
};

// One reason a saga waits (readmodel/waiting.h says which and words it).
struct Wait {
  enum class Kind {
    kReply,              // a step with a timer awaits its reply
    kCompensationReply,  // a step with a timer awaits its compensation's reply
    kStuck,              // unfinished, and no step has a timer: nothing will move it
    kUnconfirmedFailure  // FAILED with no timer: a compensation was never confirmed
  };
  Kind kind = Kind::kReply;
  std::string step;  // kReply, kCompensationReply: the step and its status
  std::string step_status;
  std::optional<TimePoint> since;  // when its message was sent
  int64_t attempt = 0;
  std::optional<TimePoint> next_retry_at;
  bool late_success = false;  // of a finished saga: undoing a success reported after the step failed
};

// One saga in full: its row, its stage and input data, its steps (stage order, the undo-only stage last) and why
// it waits.
struct SagaView {
  SagaRow saga;
  int64_t stage = 0;
  std::string data;
  std::vector<StepRecord> steps;
  std::vector<Wait> waiting;
};

// ReadModel::ListSagas's filter: every field set narrows the listing.
struct SagaFilter {
  std::optional<std::string> definition{};
  std::optional<std::string> state{};
  std::optional<TimePoint> created_from{};  // inclusive
  std::optional<TimePoint> created_to{};    // exclusive
  std::optional<std::string> correlation_id{};
  bool stuck_only = false;  // only sagas nothing will move (readmodel/stuck.h's rule, as `sagactl stuck`)
  Millis stuck_after{60'000};
};

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 200;

// Which page: empty cursor for the first, else the next_cursor of the page before.
struct PageRequest {
  std::string cursor;
  int size = kDefaultPageSize;  // 1..kMaxPageSize
};

struct SagaPage {
  std::vector<SagaRow> rows;  // newest first: created_at, then saga_id, descending
  std::string next_cursor;    // empty on the last page
};

// A non-terminal order the orchestrator has no saga for.
struct OrderWithoutSaga {
  std::string order_id;
  std::string status;
  std::string created_at;
};

// What `sagactl stuck` lists.
struct StuckReport {
  std::vector<SagaRow> sagas;                         // by updated_at
  std::vector<OrderWithoutSaga> orders_without_saga;  // by created_at
};

}  // namespace sagaflow::readmodel

#include "readmodel/tests/read_model_test_world.h"

#include "common/time_format.h"

namespace sagaflow::readmodel::testing {

namespace {

constexpr int64_t kWorldStartMs = 1577836800000;  // 2020-01-01T00:00:00.000Z

std::string OptionalInteger(std::optional<int64_t> value) {
  return value ? std::to_string(*value) : "NULL";
}

}  // namespace

std::string Quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

std::string At(int64_t ms) {
  return FormatIso8601(TimeAt(ms));
}

TimePoint TimeAt(int64_t ms) noexcept {
  return FromEpochMillis(kWorldStartMs + ms);
}

void ReadModelTest::AddSaga(const SagaSpec& saga) {
  Exec("orchestrator.db",
       "INSERT INTO sagas(saga_id, order_id, definition, definition_version, state, failure_reason, data, created_at, "
       "updated_at) VALUES (" +
           Quote(saga.saga_id) + ", " + Quote(saga.correlation_id) + ", " + Quote(saga.definition) + ", " +
           std::to_string(saga.version) + ", " + Quote(saga.state) + ", " +
           (saga.failure_reason ? Quote(*saga.failure_reason) : "NULL") + ", " + Quote(saga.data) + ", " +
           Quote(saga.created_at) + ", " + Quote(saga.updated_at) + ")");
}

void ReadModelTest::AddStep(const std::string& saga_id, const std::string& step, const std::string& status,
                            std::optional<int64_t> deadline_ms, std::optional<int64_t> sent_at_ms) {
  Exec("orchestrator.db",
       "INSERT INTO saga_steps(saga_id, step, stage, status, attempts, deadline, sent_at, updated_at) VALUES (" +
           Quote(saga_id) + ", " + Quote(step) + ", 0, " + Quote(status) + ", 1, " + OptionalInteger(deadline_ms) +
           ", " + OptionalInteger(sent_at_ms) + ", " + Quote(At(0)) + ")");
}

void ReadModelTest::AddOrder(const std::string& order_id, const std::string& status, const std::string& created_at) {
  Exec("orders.db", "INSERT INTO orders(order_id, customer_id, status, total_cents, created_at, updated_at) VALUES (" +
                        Quote(order_id) + ", 'C9', " + Quote(status) + ", 100, " + Quote(created_at) + ", " +
                        Quote(created_at) + ")");
}

void ReadModelTest::AddDeadLetter(const std::string& db_file, const std::string& topic, const std::string& payload,
                                  const std::string& error, const std::string& received_at) {
  Exec(db_file, "INSERT INTO dead_letters(topic, payload, error, received_at) VALUES (" + Quote(topic) + ", " +
                    Quote(payload) + ", " + Quote(error) + ", " + Quote(received_at) + ")");
}

void ReadModelTest::AddUnpublished(const std::string& db_file, const std::string& payload,
                                   const std::string& created_at) {
  Exec(db_file, "INSERT INTO outbox(topic, payload, created_at) VALUES ('some/topic', " + Quote(payload) + ", " +
                    Quote(created_at) + ")");
}

}  // namespace sagaflow::readmodel::testing

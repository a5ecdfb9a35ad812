// ReadModelTest: the tests of the read model start from tools/testing's five databases holding the consistent world
// (saga-1 COMPLETED for order-1, saga-2 CANCELLED for order-2, both created 2020-01-01T00:00:00.000Z) and add rows
// with plain SQL through these helpers, which quote any text (hostile strings included) as SQL literals.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"
#include "readmodel/read_model.h"
#include "tools/testing/five_databases.h"

namespace sagaflow::readmodel::testing {

// `text` as an SQL string literal.
std::string Quote(const std::string& text);

// The canonical time `ms` milliseconds after 2020-01-01T00:00:00.000Z.
std::string At(int64_t ms);
TimePoint TimeAt(int64_t ms) noexcept;

struct SagaSpec {
  std::string saga_id{};
  std::string correlation_id{};
  std::string definition = "order";
  int64_t version = 1;
  std::string state = "RUNNING";
  std::string created_at = At(1000);
  std::string updated_at = At(1000);
  std::optional<std::string> failure_reason{};
  std::string data = "{}";
};

class ReadModelTest : public tools::testing::ConsistentWorldTest {
 protected:
  ReadModelTest() : ConsistentWorldTest("sagaflow-readmodel-test") {}

  ReadModel read_model() const { return ReadModel(databases_.home().string()); }

  void AddSaga(const SagaSpec& saga);
  // A step of `saga_id` at stage 0, with a timer if `deadline_ms` is given (epoch ms), sent at `sent_at_ms`.
  void AddStep(const std::string& saga_id, const std::string& step, const std::string& status,
               std::optional<int64_t> deadline_ms = std::nullopt, std::optional<int64_t> sent_at_ms = std::nullopt);
  // An order of orders.db with no other rows.
  void AddOrder(const std::string& order_id, const std::string& status, const std::string& created_at);
  void AddDeadLetter(const std::string& db_file, const std::string& topic, const std::string& payload,
                     const std::string& error, const std::string& received_at);
  void AddUnpublished(const std::string& db_file, const std::string& payload, const std::string& created_at);
};

}  // namespace sagaflow::readmodel::testing

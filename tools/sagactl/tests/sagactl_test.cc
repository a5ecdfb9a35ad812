// sagactl::Run against a temporary SAGAFLOW_HOME with the five real, migrated databases filled with plain SQL
// (tools/testing/five_databases.h): a consistent world of two finished orders, changed per test. Output goes to
// string streams and the environment comes from a map, so nothing here touches the real process environment.
#include "tools/sagactl/sagactl.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/clock.h"
#include "common/json_writer.h"
#include "common/time_format.h"
#include "tools/testing/five_databases.h"

namespace sagaflow::sagactl {
namespace {

using ::testing::AllOf;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr int64_t kDeadlineMs = 4102444800000;  // 2100-01-01T00:00:00.000Z
constexpr int64_t kSentAtMs = 4102444790000;    // ten seconds earlier
constexpr const char* kFuture = "2999-01-01T00:00:00.000Z";

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

std::ostream& operator<<(std::ostream& os, const Outcome& outcome) {
  return os << "exit " << outcome.code << "\n--- out:\n" << outcome.out << "--- err:\n" << outcome.err;
}

size_t Lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

// The line of `text` that starts with `prefix`, or "" if none does.
std::string LineStartingWith(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) return line;
  }
  return "";
}

// The whitespace-separated words of a line.
std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// The stock file's text for `stock`.
std::string StockFileText(const std::map<std::string, int64_t>& stock) {
  JsonWriter json;
  json.BeginObject();
  for (const auto& [product, quantity] : stock) json.Key(product).Int(quantity);
  json.EndObject();
  return json.Take();
}

// A port nothing listens on: bound to port 0 by the kernel's choice, then closed.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  socklen_t length = sizeof(address);
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  close(fd);
  return ntohs(address.sin_port);
}

class SagactlTest : public tools::testing::ConsistentWorldTest {
 protected:
  SagactlTest() : ConsistentWorldTest("sagaflow-sagactl-test") {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ConsistentWorldTest::SetUp());
    WriteStockFile(StockFileText(tools::testing::ConsistentWorldStock()));
    env_ = {{"SAGAFLOW_HOME", home().string()},
            {"SAGAFLOW_STOCK_FILE", (home() / "stock.json").string()},
            {"SAGAFLOW_HTTP_PORT", "5000"}};
  }

  const std::filesystem::path& home() const { return databases_.home(); }

  void WriteStockFile(const std::string& text) { std::ofstream(home() / "stock.json") << text; }

  // A PROCESSING order whose saga is RUNNING, updated at `saga_updated_at`. With `deadline`, its payment
  // step waits for a reply (second attempt, re-sent at kDeadlineMs); without, no step has a timer.
  void AddRunningOrder(const std::string& id, bool deadline, const std::string& saga_updated_at = kFuture) {
    Exec("orders.db",
         "INSERT INTO orders(order_id, customer_id, status, total_cents, created_at, updated_at) VALUES ('" + id +
             "', 'C3', 'PROCESSING', 1250, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z');"
             "INSERT INTO order_items(order_id, line, product_id, quantity, price_cents) VALUES ('" +
             id + "', 0, 'P001', 1, 1250)");
    const std::string saga = "saga-" + id;
    const std::string payment_timer =
        deadline ? std::to_string(kDeadlineMs) + ", " + std::to_string(kSentAtMs) : std::string("NULL, NULL");
    Exec("orchestrator.db",
         "INSERT INTO sagas(saga_id, order_id, definition, state, data, created_at, updated_at) VALUES ('" + saga +
             "', '" + id + "', 'order', 'RUNNING', '{}', '2020-01-01T00:00:00.000Z', '" + saga_updated_at +
             "');"
             "INSERT INTO saga_steps(saga_id, step, stage, status, attempts, deadline, sent_at, updated_at) VALUES "
             "('" +
             saga + "', 'payment', 0, 'RUNNING', 2, " + payment_timer + ", '" + saga_updated_at +
             "'),"
             "('" +
             saga + "', 'inventory', 0, 'SUCCEEDED', 1, NULL, NULL, '" + saga_updated_at + "')");
  }

  Outcome Sagactl(const std::vector<std::string>& args) {
    std::vector<const char*> argv = {"sagactl"};
    for (const auto& arg : args) argv.push_back(arg.c_str());
    std::ostringstream out;
    std::ostringstream err;
    const auto getenv = [this](const char* name) -> const char* {
      auto it = env_.find(name);
      return it == env_.end() ? nullptr : it->second.c_str();
    };
    Outcome outcome;
    outcome.code = sagactl::Run(static_cast<int>(argv.size()), argv.data(), out, err, getenv);
    outcome.out = out.str();
    outcome.err = err.str();
    return outcome;
  }

  std::map<std::string, std::string> env_;
};

// --- verify ---------------------------------------------------------------------------------------

TEST_F(SagactlTest, VerifyPassesOnAConsistentHome) {
  auto outcome = Sagactl({"verify"});
  EXPECT_EQ(outcome.code, 0) << outcome;
  EXPECT_EQ(outcome.out,
            "ok: every guarantee holds (every order finished, charges and reservations match outcomes, stock "
            "conserved, orders agree with sagas, outboxes drained, no duplicate notification)\n");
  EXPECT_EQ(outcome.err, "");
}

struct ViolationCase {
  std::string name;
  std::vector<std::pair<std::string, std::string>> changes;  // database file, SQL
  int guarantee;
  std::string names;  // the order, product or database the violation line must name
};

void PrintTo(const ViolationCase& violation, std::ostream* os) {
  *os << violation.name;
}

class SagactlVerifyViolationTest : public SagactlTest, public ::testing::WithParamInterface<ViolationCase> {};

TEST_P(SagactlVerifyViolationTest, ExitsOneWithOneLineNamingTheGuarantee) {
  for (const auto& [file, sql] : GetParam().changes) ASSERT_TRUE(Exec(file, sql).ok());
  auto outcome = Sagactl({"verify"});
  EXPECT_EQ(outcome.code, 1) << outcome;
  EXPECT_EQ(Lines(outcome.out), 1U) << outcome;
  EXPECT_THAT(outcome.out, AllOf(StartsWith("guarantee " + std::to_string(GetParam().guarantee) + ": "),
                                 HasSubstr(GetParam().names)));
  EXPECT_THAT(outcome.out, Not(HasSubstr("ok:")));
  EXPECT_EQ(outcome.err, "");
}

const auto kUnpublished = [](const std::string& file) {
  return ViolationCase{"UnpublishedOutboxRowIn_" + file.substr(0, file.find('.')),
                       {{file,
                         "INSERT INTO outbox(topic, payload, created_at) "
                         "VALUES ('x/y', '{\"orderId\":\"order-1\"}', '2020-01-01T00:00:02.000Z')"}},
                       5,
                       file};
};

INSTANTIATE_TEST_SUITE_P(
    OneGuaranteeAtATime, SagactlVerifyViolationTest,
    ::testing::Values(
        ViolationCase{"OrderLeftProcessing",
                      {{"orders.db", "UPDATE orders SET status = 'PROCESSING' WHERE order_id = 'order-1'"},
                       {"orchestrator.db", "UPDATE sagas SET state = 'RUNNING' WHERE order_id = 'order-1'"}},
                      1,
                      "order order-1 is PROCESSING"},
        ViolationCase{"CompletedWithoutChargedPayment",
                      {{"payments.db", "UPDATE payments SET status = 'DECLINED' WHERE order_id = 'order-1'"}},
                      2,
                      "order order-1 is COMPLETED without a CHARGED payment"},
        ViolationCase{"CompletedChargedWrongAmount",
                      {{"payments.db", "UPDATE payments SET amount_cents = 2999 WHERE order_id = 'order-1'"}},
                      2,
                      "order order-1 charged 2999 cents, total is 3000"},
        ViolationCase{"CompletedReservedOtherItems",
                      {{"inventory.db",
                        "UPDATE reservation_items SET quantity = 3 WHERE reservation_id = 'res-1' AND product_id = "
                        "'P001'; UPDATE stock SET available = 97 WHERE product_id = 'P001'"}},
                      2,
                      "order order-1 reserved other items than it ordered"},
        ViolationCase{"CancelledWithChargedPayment",
                      {{"payments.db", "UPDATE payments SET status = 'CHARGED' WHERE order_id = 'order-2'"}},
                      2,
                      "order order-2 is CANCELLED with a CHARGED payment"},
        ViolationCase{"StockNotConserved",
                      {{"inventory.db", "UPDATE stock SET available = 97 WHERE product_id = 'P001'"}},
                      3,
                      "product P001"},
        ViolationCase{"OrderStatusAndSagaStateDisagree",
                      {{"orchestrator.db", "UPDATE sagas SET state = 'CANCELLED' WHERE order_id = 'order-1'"}},
                      4,
                      "order order-1 is COMPLETED but its saga is CANCELLED"},
        kUnpublished("orders.db"), kUnpublished("orchestrator.db"), kUnpublished("payments.db"),
        kUnpublished("inventory.db"), kUnpublished("notifications.db")),
    [](const ::testing::TestParamInfo<ViolationCase>& param) { return param.param.name; });

// Guarantee 6 (at most one notification per order and kind) cannot be violated through the schema:
// notifications has UNIQUE (order_id, kind), so the second row is refused and verify stays green.
TEST_F(SagactlTest, Guarantee6CannotBeProducedThroughTheSchemaSoVerifyFindsNone) {
  Status duplicate = databases_.Exec("notifications.db",
                                     "INSERT INTO notifications(idempotency_key, order_id, kind, message, created_at) "
                                     "VALUES ('other-key', 'order-1', 'order_completed', 'again', "
                                     "'2020-01-01T00:00:02.000Z')");
  EXPECT_FALSE(duplicate.ok());
  auto outcome = Sagactl({"verify"});
  EXPECT_EQ(outcome.code, 0) << outcome;
  EXPECT_THAT(outcome.out, Not(HasSubstr("guarantee 6")));
}

TEST_F(SagactlTest, JsonVerifyListsTheViolations) {
  Exec("inventory.db", "UPDATE stock SET available = 97 WHERE product_id = 'P001'");
  Exec("payments.db",
       "INSERT INTO outbox(topic, payload, created_at) VALUES ('x/y', '{}', '2020-01-01T00:00:02.000Z')");
  auto outcome = Sagactl({"--json", "verify"});
  EXPECT_EQ(outcome.code, 1) << outcome;
  simdjson::dom::parser parser;
  simdjson::padded_string text(outcome.out);
  simdjson::dom::element root;
  ASSERT_FALSE(parser.parse(text).get(root)) << outcome;
  bool ok = true;
  ASSERT_FALSE(root["ok"].get(ok)) << outcome;
  EXPECT_FALSE(ok);
  simdjson::dom::array violations;
  ASSERT_FALSE(root["violations"].get(violations)) << outcome;
  std::map<int64_t, std::string> found;
  for (simdjson::dom::element violation : violations) {
    int64_t guarantee = 0;
    std::string_view detail;
    ASSERT_FALSE(violation["guarantee"].get(guarantee));
    ASSERT_FALSE(violation["detail"].get(detail));
    found[guarantee] = std::string(detail);
  }
  ASSERT_EQ(found.size(), 2U) << outcome;
  EXPECT_THAT(found[3], HasSubstr("product P001"));
  EXPECT_THAT(found[5], HasSubstr("payments.db"));
}

TEST_F(SagactlTest, JsonVerifyOnAConsistentHomeIsOk) {
  auto outcome = Sagactl({"verify", "--json"});
  EXPECT_EQ(outcome.code, 0) << outcome;
  simdjson::dom::parser parser;
  simdjson::padded_string text(outcome.out);
  simdjson::dom::element root;
  ASSERT_FALSE(parser.parse(text).get(root)) << outcome;
  bool ok = false;
  ASSERT_FALSE(root["ok"].get(ok));
  EXPECT_TRUE(ok);
  simdjson::dom::array violations;
  ASSERT_FALSE(root["violations"].get(violations));
  EXPECT_EQ(violations.size(), 0U);
}

// --- status ---------------------------------------------------------------------------------------

TEST_F(SagactlTest, StatusShowsTheOrderAcrossAllDatabases) {
  auto outcome = Sagactl({"status", "order-1"});
  ASSERT_EQ(outcome.code, 0) << outcome;
  const std::string& out = outcome.out;
  EXPECT_THAT(out, StartsWith("order order-1\n"));
  EXPECT_THAT(out, HasSubstr("customer C1, status COMPLETED, total 30.00, created 2020-01-01T00:00:00.000Z"));
  EXPECT_THAT(out, HasSubstr("2020-01-01T00:00:01.000Z  completed"));
  EXPECT_THAT(out, HasSubstr("saga saga-1: COMPLETED"));
  EXPECT_THAT(Words(LineStartingWith(out, "step ")),
              ::testing::ElementsAre("step", "status", "attempts", "comp.attempts", "deadline", "last", "reply"));
  EXPECT_THAT(Words(LineStartingWith(out, "payment ")),
              ::testing::ElementsAre("payment", "SUCCEEDED", "1", "0", "charged"));
  EXPECT_THAT(Words(LineStartingWith(out, "inventory ")),
              ::testing::ElementsAre("inventory", "SUCCEEDED", "1", "0", "reserved"));
  EXPECT_THAT(out, HasSubstr("payment pay-1: CHARGED 30.00\n"));
  EXPECT_THAT(out, HasSubstr("reservation res-1: RESERVED"));
  EXPECT_THAT(LineStartingWith(out, "reservation res-1"), AllOf(HasSubstr("P001x2"), HasSubstr("P002x1")));
  EXPECT_THAT(out, HasSubstr("notifications:\n"));
  EXPECT_THAT(out, HasSubstr("order_received: Order confirmation email sent to C1"));
  EXPECT_THAT(out, HasSubstr("order_completed: Order order-1 completed"));
  EXPECT_THAT(out, HasSubstr("outbox rows about this order not yet published: none"));
  EXPECT_THAT(out, Not(HasSubstr("why waiting")));
}

TEST_F(SagactlTest, StatusOfACancelledOrderShowsItsReason) {
  auto outcome = Sagactl({"status", "order-2"});
  ASSERT_EQ(outcome.code, 0) << outcome;
  EXPECT_THAT(outcome.out, HasSubstr("status CANCELLED (payment_declined)"));
  EXPECT_THAT(outcome.out, HasSubstr("saga saga-2: CANCELLED (payment_declined)"));
  EXPECT_THAT(outcome.out, HasSubstr("payment pay-2: DECLINED"));
  EXPECT_THAT(outcome.out, HasSubstr("reservation res-2: RELEASED P001x1"));
}

TEST_F(SagactlTest, StatusOfARunningSagaSaysWhyItWaits) {
  AddRunningOrder("order-3", /*deadline=*/true);
  Exec("orders.db",
       "INSERT INTO outbox(topic, payload, created_at) "
       "VALUES ('orders/created', '{\"orderId\":\"order-3\"}', '2020-01-01T00:00:00.000Z')");
  auto outcome = Sagactl({"status", "order-3"});
  ASSERT_EQ(outcome.code, 0) << outcome;
  const std::string next = FormatIso8601(FromEpochMillis(kDeadlineMs));
  EXPECT_EQ(LineStartingWith(outcome.out, "  why waiting:"),
            "  why waiting: step payment is RUNNING: waiting for its reply since " +
                FormatIso8601(FromEpochMillis(kSentAtMs)) + " (attempt 2); next retry at " + next);
  EXPECT_THAT(Words(LineStartingWith(outcome.out, "payment ")),
              ::testing::ElementsAre("payment", "RUNNING", "2", "0", next));
  EXPECT_THAT(outcome.out, HasSubstr("payment: none\n"));
  EXPECT_THAT(outcome.out, HasSubstr("reservation: none\n"));
  EXPECT_THAT(outcome.out, HasSubstr("order-service #"));
  EXPECT_THAT(outcome.out, Not(HasSubstr("stuck")));
}

TEST_F(SagactlTest, StatusOfACancelledSagaUndoingALateSuccessSaysWhatItWaitsFor) {
  ASSERT_TRUE(
      Exec("orchestrator.db", "UPDATE saga_steps SET status = 'COMPENSATING', compensation_attempts = 3, deadline = " +
                                  std::to_string(kDeadlineMs) + ", sent_at = " + std::to_string(kSentAtMs) +
                                  ", last_reply = 'late: success after payment_declined: compensating' "
                                  "WHERE saga_id = 'saga-2' AND step = 'payment'")
          .ok());
  auto outcome = Sagactl({"status", "order-2"});
  ASSERT_EQ(outcome.code, 0) << outcome;
  EXPECT_THAT(outcome.out, HasSubstr("saga saga-2: CANCELLED (payment_declined)"));
  EXPECT_THAT(LineStartingWith(outcome.out, "payment "),
              AllOf(HasSubstr("COMPENSATING"), HasSubstr("late: success after payment_declined: compensating")));
  EXPECT_EQ(LineStartingWith(outcome.out, "  why waiting:"),
            "  why waiting: step payment is COMPENSATING: waiting for its compensation's reply since " +
                FormatIso8601(FromEpochMillis(kSentAtMs)) + " (attempt 3); next retry at " +
                FormatIso8601(FromEpochMillis(kDeadlineMs)) + " (a success reported after the step failed)");
  EXPECT_THAT(outcome.out, Not(HasSubstr("stuck")));
  // A finished saga waiting only for its outcome's acknowledgement says nothing.
  auto completed = Sagactl({"status", "order-1"});
  ASSERT_EQ(completed.code, 0) << completed;
  EXPECT_THAT(completed.out, Not(HasSubstr("why waiting")));
}

TEST_F(SagactlTest, StatusOfAnOrderWithoutSaga) {
  Exec("orders.db",
       "INSERT INTO orders(order_id, customer_id, status, total_cents, created_at, updated_at) "
       "VALUES ('order-5', 'C5', 'PENDING', 0, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')");
  auto outcome = Sagactl({"status", "order-5"});
  ASSERT_EQ(outcome.code, 0) << outcome;
  EXPECT_THAT(outcome.out, HasSubstr("saga: none yet"));
  EXPECT_THAT(outcome.out, HasSubstr("nudge"));
}

// --- stuck and list -------------------------------------------------------------------------------

TEST_F(SagactlTest, RunningSagaWithoutDeadlinesIsStuck) {
  AddRunningOrder("order-3", /*deadline=*/true);   // waits for a timer: not stuck
  AddRunningOrder("order-4", /*deadline=*/false);  // nothing will ever move it
  auto stuck = Sagactl({"stuck"});
  ASSERT_EQ(stuck.code, 0) << stuck;
  EXPECT_THAT(stuck.out, HasSubstr("order-4"));
  EXPECT_THAT(stuck.out, Not(HasSubstr("order-3")));
  EXPECT_THAT(stuck.out, EndsWith("\n1 stuck saga(s)\n"));
  EXPECT_THAT(Words(LineStartingWith(stuck.out, "order-4")), ::testing::Contains("none"));

  auto status = Sagactl({"status", "order-4"});
  ASSERT_EQ(status.code, 0) << status;
  EXPECT_THAT(LineStartingWith(status.out, "  why waiting:"),
              AllOf(HasSubstr("no step has a pending timer: stuck"), HasSubstr("sagactl retry order-4")));
}

TEST_F(SagactlTest, StuckReportsARunningSagaNotUpdatedForLong) {
  AddRunningOrder("order-3", /*deadline=*/true, "2020-01-01T00:00:00.000Z");
  auto stuck = Sagactl({"stuck", "--older-than", "30s"});
  ASSERT_EQ(stuck.code, 0) << stuck;
  EXPECT_THAT(stuck.out, HasSubstr("order-3"));
  EXPECT_THAT(stuck.out, EndsWith("\n1 stuck saga(s)\n"));
}

TEST_F(SagactlTest, StuckListsAnOrderThatNeverGotASagaOnceItIsNoLongerInFlight) {
  for (const auto& [id, created] : {std::pair{"order-orphan", "2020-01-01T00:00:00.000Z"}, {"order-fresh", kFuture}}) {
    Exec("orders.db", std::string("INSERT INTO orders(order_id, customer_id, status, total_cents, created_at, "
                                  "updated_at) VALUES ('") +
                          id + "', 'C9', 'PENDING', 100, '" + created + "', '" + created + "')");
  }
  auto stuck = Sagactl({"stuck"});
  ASSERT_EQ(stuck.code, 0) << stuck;
  EXPECT_THAT(LineStartingWith(stuck.out, "order-orphan"), AllOf(HasSubstr("PENDING"), HasSubstr("no saga")));
  EXPECT_THAT(stuck.out, Not(HasSubstr("order-fresh")));
  EXPECT_THAT(stuck.out, EndsWith("\n1 stuck saga(s)\n"));
}

TEST_F(SagactlTest, ListFiltersByState) {
  auto outcome = Sagactl({"list", "--state", "CANCELLED"});
  ASSERT_EQ(outcome.code, 0) << outcome;
  EXPECT_THAT(Words(LineStartingWith(outcome.out, "order-2")),
              ::testing::ElementsAre("order-2", "order", "saga-2", "CANCELLED", "payment_declined",
                                     "2020-01-01T00:00:01.000Z", ::testing::_, "none"));
  EXPECT_THAT(outcome.out, Not(HasSubstr("order-1")));
  EXPECT_THAT(outcome.out, EndsWith("\n1 saga(s)\n"));

  auto all = Sagactl({"list"});
  ASSERT_EQ(all.code, 0) << all;
  EXPECT_THAT(all.out, AllOf(HasSubstr("order-1"), HasSubstr("order-2"), EndsWith("\n2 saga(s)\n")));
}

TEST_F(SagactlTest, ListFiltersByAgeOfTheLastUpdate) {
  AddRunningOrder("order-3", /*deadline=*/true, kFuture);
  auto old = Sagactl({"list", "--older-than", "30s"});
  ASSERT_EQ(old.code, 0) << old;
  EXPECT_THAT(old.out, AllOf(HasSubstr("order-1"), HasSubstr("order-2"), Not(HasSubstr("order-3"))));
  EXPECT_THAT(old.out, EndsWith("\n2 saga(s)\n"));

  auto all = Sagactl({"list"});
  EXPECT_THAT(all.out, AllOf(HasSubstr("order-3"), EndsWith("\n3 saga(s)\n")));
}

// --- outbox and dlq -------------------------------------------------------------------------------

TEST_F(SagactlTest, OutboxCountsUnpublishedRowsPerService) {
  Exec("payments.db",
       "INSERT INTO outbox(topic, payload, created_at) VALUES "
       "('payments/processed', '{}', '2020-01-01T00:00:02.000Z'), "
       "('payments/processed', '{}', '2020-01-01T00:00:03.000Z')");
  Exec("orchestrator.db",
       "INSERT INTO outbox(topic, payload, created_at) VALUES ('payments/process', '{}', '2020-01-01T00:00:04.000Z')");
  auto outcome = Sagactl({"outbox"});
  ASSERT_EQ(outcome.code, 0) << outcome;
  EXPECT_THAT(Words(LineStartingWith(outcome.out, "service")),
              ::testing::ElementsAre("service", "unpublished", "oldest", "age"));
  EXPECT_THAT(Words(LineStartingWith(outcome.out, "payment-service")),
              ::testing::ElementsAre("payment-service", "2", "2020-01-01T00:00:02.000Z", ::testing::EndsWith("h")));
  EXPECT_THAT(Words(LineStartingWith(outcome.out, "orchestrator")),
              ::testing::ElementsAre("orchestrator", "1", "2020-01-01T00:00:04.000Z", ::testing::_));
  for (const char* service : {"order-service", "inventory-service", "notification-service"}) {
    EXPECT_THAT(Words(LineStartingWith(outcome.out, service)), ::testing::ElementsAre(service, "0")) << outcome;
  }
}

TEST_F(SagactlTest, DlqListsDeadLetters) {
  Exec("inventory.db",
       "INSERT INTO dead_letters(topic, payload, error, received_at) VALUES "
       "('inventory/reserve', '{\"orderId\":\"order-9\"}', 'idempotencyKey is missing', '2020-01-01T00:00:05.000Z')");
  auto outcome = Sagactl({"dlq"});
  ASSERT_EQ(outcome.code, 0) << outcome;
  EXPECT_THAT(Words(LineStartingWith(outcome.out, "service")),
              ::testing::ElementsAre("service", "received", "topic", "error", "payload"));
  EXPECT_THAT(LineStartingWith(outcome.out, "inventory-service"),
              AllOf(HasSubstr("2020-01-01T00:00:05.000Z"), HasSubstr("inventory/reserve"),
                    HasSubstr("idempotencyKey is missing"), HasSubstr("{\"orderId\":\"order-9\"}")));
  EXPECT_THAT(outcome.out, EndsWith("\n1 dead letter(s)\n"));

  Exec("inventory.db", "DELETE FROM dead_letters");
  auto empty = Sagactl({"dlq"});
  EXPECT_THAT(empty.out, EndsWith("\n0 dead letter(s)\n"));
}

TEST_F(SagactlTest, DlqPrintsAHostilePayloadAsEscapedTextOnOneLine) {
  // A payload that would clear the screen, recolour it and print a fake second line.
  Exec("payments.db",
       "INSERT INTO dead_letters(topic, payload, error, received_at) VALUES "
       "('payments/process', char(27) || '[2J' || char(27) || '[31mred' || char(10) || 'fake ok', 'bad', "
       "'2020-01-01T00:00:05.000Z')");
  auto outcome = Sagactl({"dlq"});
  ASSERT_EQ(outcome.code, 0) << outcome;
  EXPECT_EQ(outcome.out.find('\x1b'), std::string::npos) << "no raw ESC reaches the terminal";
  EXPECT_THAT(LineStartingWith(outcome.out, "payment-service"), HasSubstr("\\x1b[2J\\x1b[31mred\\x0afake ok"));
  EXPECT_THAT(outcome.out, EndsWith("\n1 dead letter(s)\n"));
}

TEST_F(SagactlTest, JsonOutputOfEveryReadingCommandIsValid) {
  AddRunningOrder("order-3", /*deadline=*/true);
  Exec("orders.db",
       "INSERT INTO dead_letters(topic, payload, error, received_at) VALUES "
       "('orders/completed', 'not \"json\"', 'payload is not a JSON object', '2020-01-01T00:00:05.000Z')");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"status", "order-1"}, {"status", "order-3"}, {"list"}, {"stuck"}, {"outbox"}, {"dlq"}}) {
    std::vector<std::string> with_json = {"--json"};
    with_json.insert(with_json.end(), args.begin(), args.end());
    auto outcome = Sagactl(with_json);
    ASSERT_EQ(outcome.code, 0) << args[0] << ": " << outcome;
    simdjson::dom::parser parser;
    simdjson::padded_string text(outcome.out);
    simdjson::dom::element root;
    EXPECT_FALSE(parser.parse(text).get(root)) << args[0] << ": " << outcome;
  }
  auto status = Sagactl({"--json", "status", "order-3"});
  simdjson::dom::parser parser;
  simdjson::padded_string text(status.out);
  simdjson::dom::array waiting;
  ASSERT_FALSE(parser.parse(text)["saga"]["waiting"].get(waiting)) << status;
  ASSERT_EQ(waiting.size(), 1U);
  std::string_view line;
  ASSERT_FALSE(waiting.at(0).get(line));
  EXPECT_THAT(std::string(line), AllOf(HasSubstr("step payment"), HasSubstr("next retry at")));
}

// --- definitions ----------------------------------------------------------------------------------

TEST_F(SagactlTest, DefinitionsCheckValidatesFilesOfflineAndSaysWhatIsWrong) {
  const std::string order = SAGAFLOW_SOURCE_DIR "/config/sagas/order.json";
  env_["SAGAFLOW_HOME"] = (home() / "no-such-home").string();  // checking files needs no running system
  auto ok = Sagactl({"definitions", "check", order});
  EXPECT_EQ(ok.code, 0) << ok;
  EXPECT_EQ(ok.out, order + ": ok: order version 2, 1 stage(s), 2 step(s), correlated by orderId\n");

  const auto broken = home() / "broken.json";
  std::ofstream(broken) << R"({"name": "broken", "version": 0})";
  auto bad = Sagactl({"definitions", "check", order, broken.string()});
  EXPECT_EQ(bad.code, 2) << bad;
  EXPECT_THAT(bad.err, HasSubstr(broken.string() + ": $.version: "));
  EXPECT_THAT(bad.err, HasSubstr(broken.string() + ": $.start: is missing"));

  // Each file alone is valid; together they claim the same topics.
  auto twice = Sagactl({"definitions", "check", order, order});
  EXPECT_EQ(twice.code, 2) << twice;
  EXPECT_THAT(twice.err, HasSubstr("order version 2 is held already"));
  EXPECT_EQ(Sagactl({"definitions", "check"}).code, 2);
  EXPECT_EQ(Sagactl({"definitions", "frob"}).code, 2);
}

TEST_F(SagactlTest, DefinitionsListShowsEveryStoredVersionAndWhatRunsOnIt) {
  AddRunningOrder("order-3", /*deadline=*/true);
  Exec("orchestrator.db",
       "INSERT INTO saga_definitions(name, version, content, file, first_run_at, current) VALUES "
       "('order', 1, '{}', 'config/sagas/order.json', '2020-01-01T00:00:00.000Z', 0),"
       "('order', 2, '{}', 'config/sagas/order.json', '2020-02-01T00:00:00.000Z', 1),"
       "('gone', 4, '{}', 'config/sagas/gone.json', '2020-01-01T00:00:00.000Z', 0);"
       "UPDATE sagas SET definition = 'gone', definition_version = 4 WHERE order_id = 'order-3'");
  AddRunningOrder("order-4", /*deadline=*/false);
  auto listed = Sagactl({"definitions", "list"});
  ASSERT_EQ(listed.code, 0) << listed;
  EXPECT_THAT(
      Words(LineStartingWith(listed.out, "gone")),
      ::testing::ElementsAre("gone", "4", "no", "1", "2020-01-01T00:00:00.000Z", "config/sagas/gone.json", "removed",
                             "from", "the", "folder;", "its", "sagas", "run", "on", "the", "stored", "copy"));
  EXPECT_THAT(Words(LineStartingWith(listed.out, "order")),
              ::testing::ElementsAre("order", "1", "no", "1", "2020-01-01T00:00:00.000Z", "config/sagas/order.json",
                                     "replaced;", "its", "sagas", "finish", "on", "the", "stored", "copy"));
  EXPECT_THAT(listed.out, HasSubstr("new sagas start on it"));
  EXPECT_THAT(listed.out, HasSubstr("3 definition version(s)"));
  auto json = Sagactl({"--json", "definitions", "list"});
  EXPECT_THAT(json.out, HasSubstr(R"({"name":"order","version":2,"current":true,"running":0,)"));
}

// --- errors ---------------------------------------------------------------------------------------

TEST_F(SagactlTest, MissingHomeIsExitTwoWithOneLineNamingIt) {
  const std::string missing = (home() / "no-such-home").string();
  env_["SAGAFLOW_HOME"] = missing;
  for (const char* command : {"verify", "list", "outbox"}) {
    auto outcome = Sagactl({command});
    EXPECT_EQ(outcome.code, 2) << outcome;
    EXPECT_EQ(Lines(outcome.err), 1U) << outcome;
    EXPECT_THAT(outcome.err, HasSubstr(missing));
    EXPECT_EQ(outcome.out, "");
  }
  env_["SAGAFLOW_HOME"] = home().string();
  auto flag = Sagactl({"--home", missing, "verify"});
  EXPECT_EQ(flag.code, 2) << flag;
  EXPECT_THAT(flag.err, HasSubstr(missing));
}

TEST_F(SagactlTest, MissingDatabaseIsExitTwoNamingTheFile) {
  databases_.Remove("payments.db");
  for (const auto& args : std::vector<std::vector<std::string>>{{"verify"}, {"status", "order-1"}, {"outbox"}}) {
    auto outcome = Sagactl(args);
    EXPECT_EQ(outcome.code, 2) << args[0] << ": " << outcome;
    EXPECT_EQ(Lines(outcome.err), 1U) << outcome;
    EXPECT_THAT(outcome.err, HasSubstr((home() / "data" / "payments.db").string()));
  }
}

TEST_F(SagactlTest, UnknownOrderIsExitOne) {
  auto outcome = Sagactl({"status", "no-such-order"});
  EXPECT_EQ(outcome.code, 1) << outcome;
  EXPECT_THAT(outcome.err, HasSubstr("no order no-such-order"));
  EXPECT_EQ(outcome.out, "");
}

TEST_F(SagactlTest, UsageErrorsAreExitTwo) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"frobnicate"},
                                                                {"--frob", "list"},
                                                                {"list", "--frob"},
                                                                {},
                                                                {"status"},
                                                                {"status", "a", "b"},
                                                                {"retry"},
                                                                {"list", "--state"}}) {
    auto outcome = Sagactl(args);
    EXPECT_EQ(outcome.code, 2) << ::testing::PrintToString(args) << ": " << outcome;
    EXPECT_NE(outcome.err, "") << ::testing::PrintToString(args);
  }
  EXPECT_THAT(Sagactl({"frobnicate"}).err, HasSubstr("unknown command 'frobnicate'"));
  EXPECT_THAT(Sagactl({"--frob", "list"}).err, HasSubstr("unknown flag --frob"));
}

TEST_F(SagactlTest, HelpIsExitZero) {
  auto outcome = Sagactl({"--help"});
  EXPECT_EQ(outcome.code, 0) << outcome;
  EXPECT_THAT(outcome.out, AllOf(StartsWith("usage: sagactl"), HasSubstr("verify"), HasSubstr("dlq")));
}

TEST_F(SagactlTest, HelpListsEveryCommandFlagAndVariable) {
  for (const char* help : {"--help", "-h"}) {
    auto outcome = Sagactl({"status", help});
    EXPECT_EQ(outcome.code, 0) << outcome;
    EXPECT_EQ(outcome.err, "");
    for (const char* command :
         {"status", "list", "stuck", "retry", "verify", "outbox", "dlq", "definitions check", "definitions list"}) {
      EXPECT_THAT(outcome.out, HasSubstr("\n  " + std::string(command) + " ")) << help;
    }
    for (const char* flag : {"--home", "--json", "--http-port", "--stock-file", "--state", "--older-than"}) {
      EXPECT_THAT(outcome.out, HasSubstr("\n  " + std::string(flag) + "  ")) << help;
    }
    for (const char* variable : {"SAGAFLOW_HOME", "SAGAFLOW_HTTP_PORT", "SAGAFLOW_STOCK_FILE"}) {
      EXPECT_THAT(outcome.out, HasSubstr("(env " + std::string(variable) + ")")) << help;
    }
  }
  auto none = Sagactl({"--json"});
  EXPECT_EQ(none.code, 2) << none;
  EXPECT_THAT(none.err, AllOf(StartsWith("usage: sagactl"), HasSubstr("\n  verify ")));
}

TEST_F(SagactlTest, FlagsTakeTheirValueAfterAnEqualsSignToo) {
  auto older = Sagactl({"list", "--older-than=30s", "--state=CANCELLED"});
  ASSERT_EQ(older.code, 0) << older;
  EXPECT_THAT(older.out, AllOf(HasSubstr("order-2"), Not(HasSubstr("order-1")), EndsWith("\n1 saga(s)\n")));
  auto json = Sagactl({"verify", "--json=true"});
  EXPECT_EQ(json.code, 0) << json;
  EXPECT_THAT(json.out, StartsWith("{"));
  auto bad = Sagactl({"--json=maybe", "verify"});
  EXPECT_EQ(bad.code, 2) << bad;
  EXPECT_THAT(bad.err, HasSubstr("--json"));
}

TEST_F(SagactlTest, BadOlderThanIsExitTwo) {
  for (const char* bad : {"5x", "soon", "-5s", "", "1.5m", "s"}) {
    auto outcome = Sagactl({"list", "--older-than", bad});
    EXPECT_EQ(outcome.code, 2) << "'" << bad << "': " << outcome;
    EXPECT_THAT(outcome.err, HasSubstr("--older-than")) << bad;
  }
  EXPECT_EQ(Sagactl({"list", "--older-than", "1500ms"}).code, 0);
  EXPECT_EQ(Sagactl({"stuck", "--older-than", "2h"}).code, 0);
  EXPECT_EQ(Sagactl({"list", "--older-than", "5m"}).code, 0);
}

TEST_F(SagactlTest, RetryWithoutTheAdminTokenIsExitTwoNamingItsFile) {
  auto outcome = Sagactl({"retry", "order-1"});
  EXPECT_EQ(outcome.code, 2) << outcome;
  EXPECT_EQ(Lines(outcome.err), 1U) << outcome;
  EXPECT_THAT(outcome.err, HasSubstr("secrets/admin-token"));
}

TEST_F(SagactlTest, RetryAgainstAClosedPortIsExitTwoNamingThePort) {
  std::filesystem::create_directories(home() / "secrets");
  std::ofstream(home() / "secrets" / "admin-token") << "token\n";
  std::filesystem::permissions(home() / "secrets" / "admin-token",
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace);
  const int port = FreePort();  // the orchestrator's admin port is SAGAFLOW_HTTP_PORT + 1
  env_["SAGAFLOW_HTTP_PORT"] = std::to_string(port - 1);
  auto outcome = Sagactl({"retry", "order-1"});
  EXPECT_EQ(outcome.code, 2) << outcome;
  EXPECT_EQ(Lines(outcome.err), 1U) << outcome;
  EXPECT_THAT(outcome.err, HasSubstr("port " + std::to_string(port)));

  env_["SAGAFLOW_HTTP_PORT"] = "5000";
  auto flag = Sagactl({"--http-port", std::to_string(port - 1), "retry", "order-1"});
  EXPECT_EQ(flag.code, 2) << flag;
  EXPECT_THAT(flag.err, HasSubstr("port " + std::to_string(port)));
}

// --- regressions ----------------------------------------------------------------------------------

// A huge --older-than overflowed the multiplication into milliseconds (undefined behaviour, which the
// sanitizer build aborts on) instead of being refused as a bad duration.
TEST_F(SagactlTest, OlderThanTooLargeIsABadDurationNotAnOverflow) {
  for (const char* huge : {"9223372036854775807h", "9223372036854775807s", "99999999999999999m"}) {
    auto outcome = Sagactl({"list", "--older-than", huge});
    EXPECT_EQ(outcome.code, 2) << huge << ": " << outcome;
    EXPECT_THAT(outcome.err, HasSubstr("--older-than")) << huge;
  }
}

// --http-port and SAGAFLOW_HTTP_PORT went through atoi: "abc" became port 0 and retry then reported the
// orchestrator unreachable on port 1 instead of the bad value.
TEST_F(SagactlTest, HttpPortThatIsNotAPortIsAUsageError) {
  for (const char* bad : {"abc", "0", "-1", "70000", "50x"}) {
    auto flag = Sagactl({"--http-port", bad, "retry", "order-1"});
    EXPECT_EQ(flag.code, 2) << bad << ": " << flag;
    EXPECT_THAT(flag.err, AllOf(HasSubstr("--http-port"), HasSubstr(bad), Not(HasSubstr("does not answer"))));

    env_["SAGAFLOW_HTTP_PORT"] = bad;
    auto env = Sagactl({"retry", "order-1"});
    EXPECT_EQ(env.code, 2) << bad << ": " << env;
    EXPECT_THAT(env.err, AllOf(HasSubstr("SAGAFLOW_HTTP_PORT"), HasSubstr(bad)));
    env_["SAGAFLOW_HTTP_PORT"] = "5000";
  }
}

// The port is checked once every flag is read: --http-port overrides a bad SAGAFLOW_HTTP_PORT (the variable alone
// is refused, above), and only the last --http-port counts.
TEST_F(SagactlTest, HttpPortFlagOverridesABadVariable) {
  env_["SAGAFLOW_HTTP_PORT"] = "abc";
  auto flag = Sagactl({"--http-port", "5000", "verify"});
  EXPECT_EQ(flag.code, 0) << flag;
  auto last = Sagactl({"--http-port", "abc", "verify", "--http-port=5000"});
  EXPECT_EQ(last.code, 0) << last;
  auto env = Sagactl({"verify"});
  EXPECT_EQ(env.code, 2) << env;
  EXPECT_THAT(env.err, HasSubstr("SAGAFLOW_HTTP_PORT must be a port from 1 to 65534"));
}

// The stock file was parsed by hand, skipping whatever it did not understand: a file that is not a JSON
// object of non-negative integers gave an empty or wrong initial stock, so guarantee 3 (stock conservation) went
// unchecked (verify said "ok") or was misreported. It is now an environment error naming the file.
TEST_F(SagactlTest, MalformedStockFileIsExitTwoNamingIt) {
  for (const char* bad : {"not json", R"({"P001": 100, "P002": 50)", R"({"P001": "many", "P002": 50})",
                          R"(["P001", 100])", R"({"P001": -1, "P002": 50})", R"({"P001": 100.5, "P002": 50})"}) {
    WriteStockFile(bad);
    auto outcome = Sagactl({"verify"});
    EXPECT_EQ(outcome.code, 2) << bad << ": " << outcome;
    EXPECT_EQ(Lines(outcome.err), 1U) << outcome;
    EXPECT_THAT(outcome.err, HasSubstr((home() / "stock.json").string())) << bad;
    EXPECT_EQ(outcome.out, "") << bad;
  }
  WriteStockFile("{\n  \"P001\": 100,\n  \"P002\": 50\n}\n");
  EXPECT_EQ(Sagactl({"verify"}).code, 0);
}

TEST_F(SagactlTest, MissingStockFileIsExitTwoNamingIt) {
  std::filesystem::remove(home() / "stock.json");
  auto outcome = Sagactl({"verify"});
  EXPECT_EQ(outcome.code, 2) << outcome;
  EXPECT_THAT(outcome.err, HasSubstr((home() / "stock.json").string()));
}

}  // namespace
}  // namespace sagaflow::sagactl

// The broker accounts a definition names: read and checked with one problem per line; each account gets exactly the
// rights of its role, the orchestrator those of running the saga; the order saga's file asks for nothing the compiled
// accounts do not already grant, and the trip example's adds its own accounts without widening ours.
#include "orchestrator/definitions/definition_accounts.h"

#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "orchestrator/definitions/definition_folder.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::definitions {
namespace {

using messaging::BrokerAccount;
using messaging::FindAccount;
using ::testing::ElementsAre;
using Topics = std::vector<std::string>;

constexpr char kSourceDir[] = SAGAFLOW_SOURCE_DIR;

// A lender's saga with every account field.
constexpr char kLoan[] = R"({
  "name": "loan", "version": 1,
  "start": {"topic": "loans/asked", "correlation": "loanId", "from": ["bank-web", "bank-app"],
            "input": {"amount": {"type": "money"}}},
  "stages": [{"steps": [
    {"name": "funds", "participant": "treasury",
     "command": {"topic": "funds/lend", "payload": {"sum": "$.amount"}},
     "reply": {"topic": "funds/lent", "defaultReason": "no_funds"},
     "compensation": {"topic": "funds/recall", "payload": {}, "replyTopic": "funds/recalled"}},
    {"name": "check", "participant": "treasury",
     "command": {"topic": "checks/run", "payload": {}},
     "reply": {"topic": "checks/done", "defaultReason": "refused"}},
    {"name": "note",
     "command": {"topic": "notes/write", "payload": {}},
     "reply": {"topic": "notes/written", "defaultReason": "refused"}}]}],
  "outcome": {"ackTopic": "loans/seen", "to": ["bank-web", "ledger"], "ackFrom": ["ledger"],
              "completed": {"topic": "loans/granted", "payload": {}},
              "cancelled": {"topic": "loans/refused", "payload": {}}},
  "progress": {"topic": "loans/progress", "to": ["bank-web"], "payload": {"e": "$event"},
               "events": {"saga_started": {}}}
})";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

LoadedDefinition Load(const std::string& text) {
  auto loaded = ParseDefinition(text, "loan.json", {});
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  return loaded.ok() ? std::move(*loaded) : LoadedDefinition{};
}

std::string ProblemsOf(const std::string& text) {
  auto loaded = ParseDefinition(text, "bad.json", {});
  EXPECT_FALSE(loaded.ok());
  return loaded.ok() ? "" : loaded.status().message();
}

LoadedDefinition LoadFile(const std::string& path) {
  auto loaded = ReadDefinitionFile(path, {});
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  return loaded.ok() ? std::move(*loaded) : LoadedDefinition{};
}

const BrokerAccount& Named(const std::vector<BrokerAccount>& accounts, const std::string& name) {
  static const BrokerAccount kNone;
  const BrokerAccount* account = FindAccount(accounts, name);
  EXPECT_NE(account, nullptr) << name;
  return account != nullptr ? *account : kNone;
}

TEST(DefinitionAccounts, EveryAccountFieldIsReadAndKeptOutOfTheEngine) {
  const LoadedDefinition loan = Load(kLoan);
  EXPECT_THAT(loan.participants.start_from, ElementsAre("bank-web", "bank-app"));
  EXPECT_EQ(loan.participants.steps,
            (std::map<std::string, std::string>{{"funds", "treasury"}, {"check", "treasury"}}));
  EXPECT_THAT(loan.participants.outcome_to, ElementsAre("bank-web", "ledger"));
  EXPECT_THAT(loan.participants.outcome_ack_from, ElementsAre("ledger"));
  EXPECT_THAT(loan.participants.progress_to, ElementsAre("bank-web"));
}

TEST(DefinitionAccounts, EachRoleGetsExactlyItsTopics) {
  const auto accounts = AccountsOf(Load(kLoan));
  ASSERT_EQ(accounts.size(), 5U);
  const BrokerAccount& orchestrator = accounts.front();
  EXPECT_EQ(orchestrator.name, "orchestrator");
  EXPECT_EQ(orchestrator.consumes,
            (Topics{"loans/asked", "funds/lent", "funds/recalled", "checks/done", "notes/written", "loans/seen"}));
  EXPECT_EQ(orchestrator.publishes, (Topics{"funds/lend", "funds/recall", "checks/run", "notes/write", "loans/granted",
                                            "loans/refused", "loans/progress"}));

  const BrokerAccount& web = Named(accounts, "bank-web");
  EXPECT_EQ(web.publishes, (Topics{"loans/asked"}));
  EXPECT_EQ(web.consumes, (Topics{"loans/granted", "loans/refused", "loans/progress"}));
  EXPECT_FALSE(web.MayPublish("loans/seen")) << "only ackFrom acknowledges";
  EXPECT_TRUE(web.MayPublish("deadletter/loans/granted")) << "dead letters of what it consumes, like our services";

  const BrokerAccount& app = Named(accounts, "bank-app");
  EXPECT_EQ(app.publishes, (Topics{"loans/asked"}));
  EXPECT_TRUE(app.consumes.empty());

  const BrokerAccount& treasury = Named(accounts, "treasury");
  EXPECT_EQ(treasury.consumes, (Topics{"funds/lend", "funds/recall", "checks/run"}));
  EXPECT_EQ(treasury.publishes, (Topics{"funds/lent", "funds/recalled", "checks/done"}));
  EXPECT_FALSE(treasury.MayConsume("notes/write")) << "a step without participant grants nobody but the orchestrator";

  const BrokerAccount& ledger = Named(accounts, "ledger");
  EXPECT_EQ(ledger.consumes, (Topics{"loans/granted", "loans/refused"}));
  EXPECT_EQ(ledger.publishes, (Topics{"loans/seen"}));
  for (const auto& account : accounts) EXPECT_TRUE(account.keeps_session) << account.name;
}

TEST(DefinitionAccounts, ADefinitionWithoutAccountFieldsGrantsTheOrchestratorOnly) {
  std::string text = Replace(kLoan, R"("from": ["bank-web", "bank-app"],)", "");
  text = Replace(text, R"("participant": "treasury",)", "");
  text = Replace(text, R"("participant": "treasury",)", "");
  text = Replace(text, R"("to": ["bank-web", "ledger"], "ackFrom": ["ledger"],)", "");
  text = Replace(text, R"("to": ["bank-web"],)", "");
  const LoadedDefinition loan = Load(text);
  EXPECT_TRUE(loan.participants.empty());
  const auto accounts = AccountsOf(loan);
  ASSERT_EQ(accounts.size(), 1U);
  EXPECT_EQ(accounts.front().name, "orchestrator");
}

TEST(DefinitionAccounts, BadAccountFieldsAreReportedOnePerLineWithTheirPath) {
  std::string text =
      Replace(kLoan, R"("from": ["bank-web", "bank-app"])", R"("from": ["bank web", "bank-app", "bank-app"])");
  text = Replace(text, R"("participant": "treasury")", R"("participant": "observer")");
  text = Replace(text, R"("participant": "treasury")", R"("participant": 7)");
  text = Replace(text, R"("ackFrom": ["ledger"])", R"("ackFrom": ["ledgr"])");
  text = Replace(text, R"("to": ["bank-web"],)", R"("to": [],)");
  const std::string problems = ProblemsOf(text);
  EXPECT_EQ(
      problems,
      "bad.json: $.start.from[0]: must be an account name: letters, digits and -, not starting with -, at most 64\n"
      "bad.json: $.start.from[2]: bank-app is listed twice\n"
      "bad.json: $.stages[0].steps[0].participant: observer is an account sagaflow reserves (orchestrator, "
      "observer, bench)\n"
      "bad.json: $.stages[0].steps[1].participant: must be an account name: letters, digits and -, not "
      "starting with -, at most 64\n"
      "bad.json: $.outcome.ackFrom: ledgr must be in $.outcome.to too: an account acknowledges the outcome it "
      "consumes\n"
      "bad.json: $.progress.to: must be a non-empty array of account names");
}

TEST(DefinitionAccounts, NamesAreShortPlainAndNotSagaflowsOwn) {
  for (const std::string& bad :
       std::vector<std::string>{"", "-lead", "a/b", "a+b", "a#", "é", "orchestrator", "bench", std::string(65, 'a')}) {
    const std::string problems =
        ProblemsOf(Replace(kLoan, R"("ackFrom": ["ledger"])", R"("ackFrom": [")" + bad + R"("])"));
    EXPECT_NE(problems.find("$.outcome.ackFrom[0]: "), std::string::npos) << bad << ": " << problems;
  }
  for (const std::string& good : std::vector<std::string>{"A-1", "9lives", std::string(64, 'z')}) {
    std::string text = Replace(kLoan, R"("to": ["bank-web", "ledger"])", R"("to": ["bank-web", ")" + good + R"("])");
    text = Replace(text, R"("ackFrom": ["ledger"])", std::string(R"("ackFrom": [")").append(good).append(R"("])"));
    EXPECT_TRUE(ParseDefinition(text, "good.json", {}).ok()) << good;
  }
}

TEST(DefinitionAccounts, AMisspeltAccountKeyIsNotASetting) {
  const std::string problems =
      ProblemsOf(Replace(kLoan, R"("participant": "treasury")", R"("participants": "treasury")"));
  EXPECT_NE(problems.find("$.stages[0].steps[0].participants: is not a setting here (known: name, participant, "),
            std::string::npos)
      << problems;
}

// The order saga's file names what our services already do: its accounts add nothing to the compiled ones.
TEST(DefinitionAccounts, TheOrderSagasAccountsAreASubsetOfTheCompiledOnes) {
  const LoadedDefinition order = LoadFile(std::string(kSourceDir) + "/config/sagas/order.json");
  const auto compiled = messaging::SagaflowAccounts();
  const auto derived = AccountsOf(order);
  EXPECT_EQ(derived.size(), 5U) << "the orchestrator and the four services the file names";
  for (const auto& account : derived) {
    const BrokerAccount* known = FindAccount(compiled, account.name);
    ASSERT_NE(known, nullptr) << account.name;
    for (const auto& topic : account.publishes) EXPECT_TRUE(known->MayPublish(topic)) << account.name << " " << topic;
    for (const auto& topic : account.consumes) EXPECT_TRUE(known->MayConsume(topic)) << account.name << " " << topic;
  }
  EXPECT_EQ(messaging::RenderMosquittoAcl(AccountsWithDefinitions({order})), messaging::RenderMosquittoAcl(compiled));
  // The orchestrator's compiled account is exactly what running the order saga takes.
  const BrokerAccount& orchestrator = Named(derived, "orchestrator");
  EXPECT_EQ(orchestrator.publishes.size(), Named(compiled, "orchestrator").publishes.size());
  EXPECT_EQ(orchestrator.consumes.size(), Named(compiled, "orchestrator").consumes.size());
}

TEST(DefinitionAccounts, TheTripExampleAddsItsAccountsWithoutWideningOurs) {
  const LoadedDefinition order = LoadFile(std::string(kSourceDir) + "/config/sagas/order.json");
  const LoadedDefinition trip = LoadFile(std::string(kSourceDir) + "/examples/trip/trip.json");
  const auto compiled = messaging::SagaflowAccounts();
  const auto all = AccountsWithDefinitions({order, trip});
  ASSERT_EQ(all.size(), compiled.size() + 5);
  for (size_t i = 0; i < compiled.size(); ++i) {
    if (compiled[i].name == "orchestrator") continue;
    EXPECT_EQ(all[i].publishes, compiled[i].publishes) << compiled[i].name;
    EXPECT_EQ(all[i].consumes, compiled[i].consumes) << compiled[i].name;
  }
  const BrokerAccount& orchestrator = Named(all, "orchestrator");
  EXPECT_TRUE(orchestrator.MayConsume("trips/requested"));
  EXPECT_TRUE(orchestrator.MayConsume("cars/rented"));
  EXPECT_TRUE(orchestrator.MayPublish("hotels/cancel"));
  EXPECT_TRUE(orchestrator.MayPublish("trips/cancelled"));
  EXPECT_TRUE(orchestrator.MayPublish("payments/process")) << "its compiled rights stay";

  const BrokerAccount& hotel = Named(all, "hotel-service");
  EXPECT_EQ(hotel.consumes, (Topics{"hotels/book", "hotels/cancel"}));
  EXPECT_EQ(hotel.publishes, (Topics{"hotels/booked", "hotels/cancelled"}));
  EXPECT_EQ(Named(all, "car-service").consumes, (Topics{"cars/rent", "cars/cancel"}));
  EXPECT_EQ(Named(all, "flight-service").publishes, (Topics{"flights/booked", "flights/cancelled"}));
  EXPECT_EQ(Named(all, "trip-agent").publishes, (Topics{"trips/requested"}));
  EXPECT_TRUE(Named(all, "trip-agent").consumes.empty());
  EXPECT_EQ(Named(all, "trip-desk").consumes, (Topics{"trips/booked", "trips/cancelled"}));
  EXPECT_EQ(Named(all, "trip-desk").publishes, (Topics{"trips/acknowledged"}));
}

TEST(DefinitionAccounts, AFolderIsReadWholeOrNotAtAll) {
  storage::scratch::TempDir folder("sagaflow-accounts");
  std::ofstream(folder.path() / "loan.json") << kLoan;
  auto accounts = ReadAccountsWithDefinitions(folder.path());
  ASSERT_TRUE(accounts.ok()) << accounts.status().ToString();
  EXPECT_NE(FindAccount(*accounts, "treasury"), nullptr);
  EXPECT_NE(FindAccount(*accounts, "payment-service"), nullptr);

  std::ofstream(folder.path() / "more.json") << Replace(kLoan, R"("participant": "treasury")", R"("participant": "")");
  accounts = ReadAccountsWithDefinitions(folder.path());
  ASSERT_FALSE(accounts.ok());
  EXPECT_EQ(accounts.status().message(), (folder.path() / "more.json").string() +
                                             ": $.stages[0].steps[0].participant: must be an account name: letters, "
                                             "digits and -, not starting with -, at most 64");
  EXPECT_TRUE(ReadAccountsWithDefinitions(folder.path() / "missing").status().IsNotFound());
}

}  // namespace
}  // namespace sagaflow::definitions

// ParseDefinition and ReadDefinitionFolder: a small valid saga reads into a definition whose builders, readers and
// input check do what the file says; every problem of a broken file is reported on its own line with the file and
// the JSON path; a folder is read whole or not at all.
#include "orchestrator/definitions/definition_file.h"

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/json.h"
#include "orchestrator/definitions/definition_folder.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::definitions {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

const DefinitionSettings kSettings{Millis(2'000), 3, 5};

// One step with a compensation, an outcome and a progress event.
const std::string kLoan = R"({
  "name": "loan", "version": 2,
  "start": {"topic": "loans/asked", "correlation": "loanId",
            "input": {"amount": {"type": "money", "max": "1000.00"}, "who": {"type": "string", "minLength": 1}}},
  "stages": [{"steps": [{
    "name": "funds", "timeoutMs": 500, "attempts": 7,
    "command": {"topic": "funds/lend", "payload": {"sum": "$.amount", "to": "$.who"}},
    "reply": {"topic": "funds/lent", "successField": "ok", "reasonField": "why", "defaultReason": "no_funds",
              "mustEqual": {"sum": "$.amount"}},
    "compensation": {"topic": "funds/recall", "payload": {"sum": "$.amount"}, "replyTopic": "funds/recalled"}}]}],
  "outcome": {"ackTopic": "loans/seen",
              "completed": {"topic": "loans/granted", "payload": {"at": "$now"}},
              "cancelled": {"topic": "loans/refused", "payload": {"why": "$reason"}}},
  "progress": {"topic": "loans/progress", "payload": {"e": "$event", "s": "$status", "r": "$reason"},
               "events": {"saga_started": {"status": "OPEN"}, "funds_failed": {"event": "no_money"}}}
})";

LoadedDefinition Load(const std::string& text) {
  auto loaded = ParseDefinition(text, "loan.json", kSettings);
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  return loaded.ok() ? std::move(*loaded) : LoadedDefinition{};
}

std::string ProblemsOf(const std::string& text) {
  auto loaded = ParseDefinition(text, "bad.json", kSettings);
  EXPECT_FALSE(loaded.ok());
  return loaded.ok() ? "" : loaded.status().message();
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

template <typename F>
auto WithReply(const std::string& text, F use) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  EXPECT_FALSE(ParseJson(parser, text)->get_object().get(object)) << text;
  return use(object);
}

TEST(DefinitionFile, ASmallSagaReadsIntoWhatItSays) {
  const LoadedDefinition loaded = Load(kLoan);
  const engine::SagaDefinition& saga = loaded.saga;
  EXPECT_EQ(saga.name, "loan");
  EXPECT_EQ(saga.version, 2);
  EXPECT_EQ(saga.correlation_field, "loanId");
  EXPECT_EQ(loaded.content, kLoan);
  ASSERT_EQ(saga.stages.size(), 1u);
  const engine::StepDefinition& funds = saga.stages[0].steps[0];
  EXPECT_EQ(funds.timeout, Millis(500));
  EXPECT_EQ(funds.retry.max_attempts, 7);
  EXPECT_EQ(funds.compensation_retry.max_attempts, 5) << "the setting the file leaves unsaid";
  EXPECT_EQ(saga.outcome.timeout, Millis(2'000));
  EXPECT_EQ(saga.PublishedTopics(), (std::vector<std::string>{"funds/lend", "funds/recall", "loans/granted",
                                                              "loans/refused", "loans/progress"}));
  EXPECT_EQ(saga.ConsumedTopics(),
            (std::vector<std::string>{"loans/asked", "funds/lent", "funds/recalled", "loans/seen"}));

  const std::string data = R"({"loanId":"L1","amount":12.50,"who":"ann","extra":[1]})";
  const std::string id = "saga-1";
  const std::string correlation = "L1";
  const std::string at = "2024-01-01T00:00:00.000Z";
  const engine::SagaContext context{id, correlation, data, at};
  EXPECT_EQ(funds.build_command(context, "L1:funds", "m1"),
            R"({"messageId":"m1","loanId":"L1","idempotencyKey":"L1:funds","sum":12.50,"to":"ann"})");
  EXPECT_EQ(funds.build_compensation(context, "L1:funds:compensation", "m2"),
            R"({"messageId":"m2","loanId":"L1","idempotencyKey":"L1:funds:compensation","sum":12.50})");
  const auto refused = saga.outcome.build(context, false, "no_funds", "L1:outcome", "m3", at);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].topic, "loans/refused");
  EXPECT_EQ(refused[0].payload, R"({"messageId":"m3","loanId":"L1","idempotencyKey":"L1:outcome","why":"no_funds"})");
  const auto started = saga.build_progress(context, {"saga_started", ""}, "m4", at);
  ASSERT_TRUE(started.has_value());
  EXPECT_EQ(started->payload, R"({"messageId":"m4","loanId":"L1","e":"saga_started","s":"OPEN"})");
  const auto failed = saga.build_progress(context, {"funds_failed", "timeout"}, "m5", at);
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->payload, R"({"messageId":"m5","loanId":"L1","e":"no_money","r":"timeout"})");
  EXPECT_FALSE(saga.build_progress(context, {"funds_succeeded", ""}, "m6", at).has_value()) << "not declared";
}

TEST(DefinitionFile, TheInputCheckNamesTheFieldThatIsWrong) {
  const engine::SagaDefinition saga = Load(kLoan).saga;
  EXPECT_TRUE(saga.validate_start(R"({"loanId":"L1","amount":1000.00,"who":"a"})").ok());
  EXPECT_THAT(saga.validate_start(R"({"loanId":"L1","amount":1000.01,"who":"a"})").message(),
              HasSubstr("amount must be at most 1000.00"));
  EXPECT_THAT(saga.validate_start(R"({"loanId":"L1","amount":1.001,"who":"a"})").message(), HasSubstr("amount"));
  EXPECT_THAT(saga.validate_start(R"({"loanId":"L1","amount":1,"who":""})").message(), HasSubstr("who"));
  EXPECT_THAT(saga.validate_start(R"({"loanId":"L1","who":"a"})").message(), HasSubstr("amount is missing"));
  EXPECT_TRUE(saga.validate_start("not json").IsInvalidArgument());
}

TEST(DefinitionFile, RepliesAreReadByTheirFieldsAndMustCarryWhatWasAsked) {
  const engine::SagaDefinition saga = Load(kLoan).saga;
  const engine::StepDefinition& funds = saga.stages[0].steps[0];
  WithReply(R"({"ok":true})", [&](auto reply) { EXPECT_TRUE(funds.read_reply(reply).success); });
  WithReply(R"({"ok":false,"why":"broke"})", [&](auto reply) { EXPECT_EQ(funds.read_reply(reply).reason, "broke"); });
  WithReply(R"({"ok":false})", [&](auto reply) { EXPECT_EQ(funds.read_reply(reply).reason, "no_funds"); });

  const std::string data = R"({"loanId":"L1","amount":12.50,"who":"ann"})";
  const std::string id = "saga-1", correlation = "L1", at = "";
  const engine::SagaContext context{id, correlation, data, at};
  WithReply(R"({"ok":true,"sum":12.5})", [&](auto reply) { EXPECT_TRUE(funds.verify_reply(context, reply).ok()); });
  WithReply(R"({"ok":true,"sum":12.51})", [&](auto reply) {
    EXPECT_THAT(funds.verify_reply(context, reply).message(), HasSubstr("is not the 12.50 this saga asked for"));
  });
  WithReply(R"({"ok":true})", [&](auto reply) { EXPECT_FALSE(funds.verify_reply(context, reply).ok()); });
  WithReply(R"({"ok":false})", [&](auto reply) { EXPECT_TRUE(funds.verify_reply(context, reply).ok()); });
}

TEST(DefinitionFile, EveryProblemIsReportedOnItsOwnLineWithFileAndPath) {
  std::string broken = Replace(kLoan, R"("version": 2)", R"("version": "2")");
  broken = Replace(broken, R"("topic": "funds/lend")", R"("topic": "funds/#")");
  broken = Replace(broken, R"("to": "$.who")", R"("to": "$.whom")");
  broken = Replace(broken, R"("timeoutMs": 500)", R"("timeoutMS": 500)");
  broken = Replace(broken, R"("funds_failed")", R"("fund_failed")");
  const std::string problems = ProblemsOf(broken);
  EXPECT_THAT(problems, AllOf(HasSubstr("bad.json: $.version: must be an integer"),
                              HasSubstr("bad.json: $.stages[0].steps[0].command.topic: 'funds/#' is not a topic"),
                              HasSubstr("bad.json: $.stages[0].steps[0].command.payload.to: refers to $.whom"),
                              HasSubstr("bad.json: $.stages[0].steps[0].timeoutMS: is not a setting here"),
                              HasSubstr("bad.json: $.progress.events.fund_failed: is not an event of this saga")));
  EXPECT_EQ(std::count(problems.begin(), problems.end(), '\n'), 4) << problems;
}

TEST(DefinitionFile, StructuralMistakesAreRefused) {
  EXPECT_THAT(ProblemsOf("{"), HasSubstr("bad.json: $: is not valid JSON"));
  EXPECT_THAT(ProblemsOf("[]"), HasSubstr("bad.json: $: must be an object"));
  EXPECT_THAT(ProblemsOf(Replace(kLoan, R"("name": "loan")", R"("name": "Loan Saga")")), HasSubstr("$.name: must be"));
  EXPECT_THAT(ProblemsOf(Replace(kLoan, R"("topic": "funds/lent")", R"("topic": "loans/seen")")),
              HasSubstr("reply topic loans/seen used twice"));
  EXPECT_THAT(ProblemsOf(Replace(kLoan, R"(, "replyTopic": "funds/recalled")", "")),
              HasSubstr("$.stages[0].steps[0].compensation.replyTopic: is missing"));
  EXPECT_THAT(ProblemsOf(Replace(kLoan, R"("stages": [{"steps": [{)", R"("stages": [], "x": [{"steps": [{)")),
              AllOf(HasSubstr("$.stages: must be a non-empty array"), HasSubstr("$.x: is not a setting here")));
  EXPECT_THAT(ProblemsOf(Replace(kLoan, R"("type": "money", "max": "1000.00")", R"("type": "cash")")),
              HasSubstr("$.start.input.amount.type: must be one of"));
}

void Write(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file) << text;
}

TEST(DefinitionFolder, IsReadWholeOrNotAtAll) {
  storage::scratch::TempDir dir("sagaflow-definitions");
  EXPECT_TRUE(ReadDefinitionFolder(dir / "missing", kSettings).status().IsNotFound());
  EXPECT_THAT(ReadDefinitionFolder(dir.path(), kSettings).status().message(), HasSubstr("holds no saga definition"));

  Write(dir / "loan.json", kLoan);
  Write(dir / "notes.txt", "not a definition");
  auto one = ReadDefinitionFolder(dir.path(), kSettings);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().file, (dir / "loan.json").string());

  Write(dir / "loan-copy.json", kLoan);
  Write(dir / "broken.json", "{}");
  const std::string problems = ReadDefinitionFolder(dir.path(), kSettings).status().message();
  EXPECT_THAT(problems, AllOf(HasSubstr((dir / "broken.json").string() + ": $.name: is missing"),
                              HasSubstr((dir / "loan.json").string() + ": $.name: saga loan is defined by " +
                                        (dir / "loan-copy.json").string() + " too")));
}

}  // namespace
}  // namespace sagaflow::definitions

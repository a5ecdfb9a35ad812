// The orchestrator binary and its folder of saga definitions: a broken definition stops it before it touches the
// database or the broker, exit code 2, one log line per problem naming the file and the JSON path; a folder that
// does not exist, or two definitions claiming one topic, are refused the same way. A definition changed without a
// new version, once run, is refused at the next start (exit 1), leaving the stored version as it was.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/broker.h"
#include "tests/support/service.h"
#include "tests/support/test_env.h"

namespace sagaflow::testing {
namespace {

using std::chrono::seconds;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The definition with its version set to `version`, so that a test says which version it runs.
std::string WithVersion(std::string definition, int version) {
  const std::string key = R"("version": )";
  const size_t at = definition.find(key);
  EXPECT_NE(at, std::string::npos);
  if (at == std::string::npos) return definition;
  const size_t digits = definition.find_first_not_of("0123456789", at + key.size());
  definition.replace(at + key.size(), digits - at - key.size(), std::to_string(version));
  return definition;
}

class SagaDefinitionsTest : public ::testing::Test {
 protected:
  // Starts the orchestrator on `folder` and returns its exit code and log; it must exit by itself.
  std::pair<int, std::string> RunOn(const std::string& folder, SystemPorts ports = {1, 1}) {
    Service orchestrator("orchestrator", home_.path(), ports, {{"SAGAFLOW_SAGAS_DIR", folder}});
    orchestrator.Start();
    auto code = orchestrator.process().WaitExit(seconds(20));
    EXPECT_TRUE(code.has_value()) << "the orchestrator did not stop";
    if (!code) orchestrator.Kill();
    return {code.value_or(-1), orchestrator.process().Log()};
  }

  TempDir home_{"sagaflow-definitions-it"};
  TempDir sagas_{"sagaflow-sagas-dir"};
};

TEST_F(SagaDefinitionsTest, ABrokenDefinitionStopsTheOrchestratorWithOneLinePerProblem) {
  std::string order = ReadFile(SourceDir() + "/config/sagas/order.json");
  ASSERT_FALSE(order.empty());
  order = Replace(order, R"("topic": "payments/process")", R"("topic": "payments/#")");
  order = Replace(order, R"("amount": "$.totalAmount"})", R"("amount": "$.total"})");
  const std::string file = sagas_.path() + "/order.json";
  std::ofstream(file) << order;

  const auto [code, log] = RunOn(sagas_.path());
  EXPECT_EQ(code, 2) << log;
  EXPECT_NE(log.find(file + ": $.stages[0].steps[0].command.topic: 'payments/#' is not a topic"), std::string::npos)
      << log;
  EXPECT_NE(log.find(file + ": $.stages[0].steps[0].command.payload.amount: refers to $.total,"), std::string::npos)
      << log;
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 2) << log;
  EXPECT_FALSE(std::filesystem::exists(home_.path() + "/data/orchestrator.db")) << "refused before opening it";
}

TEST_F(SagaDefinitionsTest, TwoDefinitionsClaimingOneTopicAreRefused) {
  const std::string order = WithVersion(ReadFile(SourceDir() + "/config/sagas/order.json"), 1);
  std::ofstream(sagas_.path() + "/order.json") << order;
  const std::string copy = sagas_.path() + "/shop.json";
  std::ofstream(copy) << Replace(order, R"("name": "order")", R"("name": "shop")");

  const auto [code, log] = RunOn(sagas_.path());
  EXPECT_EQ(code, 2) << log;
  EXPECT_NE(log.find(copy + ": shop version 1 consumes orders/created, which saga order consumes"), std::string::npos)
      << log;
  EXPECT_FALSE(std::filesystem::exists(home_.path() + "/data/orchestrator.db")) << "refused before opening it";
}

TEST_F(SagaDefinitionsTest, ADefinitionChangedWithoutANewVersionIsRefusedOnceItHasRun) {
  const std::string order = WithVersion(ReadFile(SourceDir() + "/config/sagas/order.json"), 1);
  const std::string file = sagas_.path() + "/order.json";
  std::ofstream(file) << order;
  const SystemPorts ports{FreePort(), FreePortRange(5)};
  Broker broker(home_.path(), ports.mqtt);
  broker.Start();
  {
    Service orchestrator("orchestrator", home_.path(), ports, {{"SAGAFLOW_SAGAS_DIR", sagas_.path()}});
    orchestrator.StartHealthy();
    orchestrator.Kill();
  }
  std::ofstream(file) << Replace(order, R"("defaultReason": "out_of_stock")", R"("defaultReason": "sold_out")");
  const auto [code, log] = RunOn(sagas_.path(), ports);
  EXPECT_EQ(code, 1) << log;
  EXPECT_NE(log.find(file + ": order version 1 differs from the version 1 this orchestrator has run"),
            std::string::npos)
      << log;

  // With a new version it runs.
  std::ofstream(file) << Replace(Replace(order, R"("defaultReason": "out_of_stock")", R"("defaultReason": "sold_out")"),
                                 R"("version": 1)", R"("version": 2)");
  Service orchestrator("orchestrator", home_.path(), ports, {{"SAGAFLOW_SAGAS_DIR", sagas_.path()}});
  orchestrator.StartHealthy();
  orchestrator.Kill();
}

TEST_F(SagaDefinitionsTest, AMissingFolderIsRefused) {
  const auto [code, log] = RunOn(sagas_.path() + "/missing");
  EXPECT_EQ(code, 2) << log;
  EXPECT_NE(log.find("no such folder of saga definitions"), std::string::npos) << log;
}

}  // namespace
}  // namespace sagaflow::testing

// The orchestrator binary and its folder of saga definitions: a broken definition stops it before it touches the
// database or the broker, exit code 2, one log line per problem naming the file and the JSON path; a folder that
// does not exist is refused the same way.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

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

class SagaDefinitionsTest : public ::testing::Test {
 protected:
  // Starts the orchestrator on `folder` and returns its exit code and log; it must exit by itself.
  std::pair<int, std::string> RunOn(const std::string& folder) {
    Service orchestrator("orchestrator", home_.path(), {1, 1}, {{"SAGAFLOW_SAGAS_DIR", folder}});
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

TEST_F(SagaDefinitionsTest, AMissingFolderIsRefused) {
  const auto [code, log] = RunOn(sagas_.path() + "/missing");
  EXPECT_EQ(code, 2) << log;
  EXPECT_NE(log.find("no such folder of saga definitions"), std::string::npos) << log;
}

}  // namespace
}  // namespace sagaflow::testing

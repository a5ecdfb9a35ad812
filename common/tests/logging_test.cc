#include "common/logging.h"

#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

namespace sagaflow {
namespace {

std::string LogOnce(const std::string& message) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
  sink->set_formatter(MakeLogFormatter());
  spdlog::logger logger("order-service", sink);
  logger.warn("customer {} refused", message);
  return out.str();
}

TEST(LoggingTest, ALineHasTheTimeLevelNameAndMessage) {
  const std::string line = LogOnce("C123");
  EXPECT_NE(line.find(" warning [order-service] customer C123 refused"), std::string::npos) << line;
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line";
}

TEST(LoggingTest, UntrustedTextCannotForgeALineOrSendEscapes) {
  const std::string line = LogOnce("C1\n2026-01-01T00:00:00.000Z info [payment-service] charged\x1b[2J");
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "still one line: " << line;
  EXPECT_EQ(line.find('\x1b'), std::string::npos);
  EXPECT_NE(line.find("C1\\x0a2026"), std::string::npos) << line;
}

}  // namespace
}  // namespace sagaflow

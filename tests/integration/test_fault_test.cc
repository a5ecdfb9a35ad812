// SAGAFLOW_TEST_FAULT on the real binaries (test builds): a mistyped fault stops every service from starting, so a
// negative control cannot silently test nothing, and an active fault says so loudly in the service's log.
#include <gtest/gtest.h>

#include "tests/support/system.h"

namespace sagaflow::testing {
namespace {

using std::chrono::seconds;

TEST(TestFaultTest, EveryServiceRefusesToStartWithAMistypedFault) {
  TempDir home;
  const SystemPorts ports{FreePort(), FreePortRange(5)};
  for (const auto& name : ServiceNames()) {
    Service service(name, home.path(), ports, {{"SAGAFLOW_TEST_FAULT", "publish-before-sync"}});
    service.Start();
    auto code = service.process().WaitExit(seconds(20));
    ASSERT_TRUE(code.has_value()) << name << " kept running:\n" << service.process().Log();
    EXPECT_NE(*code, 0) << name;
    EXPECT_NE(service.process().Log().find("SAGAFLOW_TEST_FAULT"), std::string::npos)
        << name << " did not name the variable:\n"
        << service.process().Log();
  }
}

TEST(TestFaultTest, AnActiveFaultIsAnnouncedInTheLogAndNoneOtherwise) {
  TempDir home;
  const SystemPorts ports{FreePort(), FreePortRange(5)};
  Broker broker(home.path(), ports.mqtt);
  broker.Start();
  Service faulty("inventory-service", home.path(), ports, {{"SAGAFLOW_TEST_FAULT", "publish-before-fsync"}});
  Service sound("payment-service", home.path(), ports, {{"SAGAFLOW_TEST_FAULT", ""}});
  faulty.StartHealthy();
  sound.StartHealthy();
  EXPECT_NE(faulty.process().Log().find("TEST FAULT ACTIVE (SAGAFLOW_TEST_FAULT=publish-before-fsync)"),
            std::string::npos)
      << faulty.process().Log();
  EXPECT_EQ(sound.process().Log().find("TEST FAULT"), std::string::npos) << sound.process().Log();
}

}  // namespace
}  // namespace sagaflow::testing

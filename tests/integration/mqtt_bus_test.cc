// messaging::MqttBus against a real Mosquitto: batches, acknowledgements and re-subscribing.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>

#include "common/logging.h"
#include "common/random.h"
#include "messaging/mqtt_bus.h"
#include "tests/support/broker.h"
#include "tests/support/mqtt_probe.h"
#include "tests/support/test_env.h"

namespace sagaflow::testing {
namespace {

using std::chrono::seconds;

class MqttBusTest : public ::testing::Test {
 protected:
  MqttBusTest() : broker_(home_.path(), FreePort()) { broker_.Start(); }

  std::unique_ptr<messaging::MqttBus> MakeBus(const std::string& client_id) {
    return std::make_unique<messaging::MqttBus>(messaging::MqttBusOptions{broker_.uri(), client_id}, MakeNullLogger(),
                                                random_);
  }

  TempDir home_;
  Broker broker_;
  SeededRandom random_{3};
};

// Regression: Paho C queues at most 100 publish commands by default, also while connected, so every batch
// of more than 100 was cut short (error -12) and the relay backed off; the throughput collapsed.
TEST_F(MqttBusTest, ABatchOfMoreThanAHundredPublishesWasCutAtPahosDefaultBuffer) {
  MqttProbe probe(broker_.uri(), "probe-batch", {"bench/batch"});
  probe.Connect();
  auto bus = MakeBus("bus-batch");
  ASSERT_TRUE(bus->Start().ok());
  ASSERT_TRUE(Eventually([&] { return bus->IsConnected(); }, seconds(10)));

  std::vector<messaging::OutgoingMessage> batch;
  for (int i = 0; i < 1000; ++i) batch.push_back({"bench/batch", "message " + std::to_string(i)});
  EXPECT_EQ(bus->PublishBatch(batch, std::chrono::milliseconds(10'000)), batch.size());
  ASSERT_TRUE(probe.WaitFor([](auto& m) { return m.size() >= 1000; }, seconds(10)));
  const auto received = probe.messages();
  for (size_t i = 0; i < received.size(); ++i) {
    EXPECT_EQ(received[i].payload, "message " + std::to_string(i)) << "order is kept";
  }
  bus->Stop();
}

TEST_F(MqttBusTest, SubscribesAgainAfterTheBrokerForgotEverything) {
  std::mutex mu;
  std::vector<std::string> payloads;
  auto bus = MakeBus("bus-resubscribe");
  bus->SetHandler({"orders/created"}, [&](const messaging::IncomingMessage& message) {
    std::lock_guard lock(mu);
    payloads.push_back(message.payload);
  });
  std::atomic<int> connects{0};
  bus->SetConnectedCallback([&] { ++connects; });
  ASSERT_TRUE(bus->Start().ok());
  ASSERT_TRUE(Eventually([&] { return connects >= 1; }, seconds(10)));

  // Total amnesia: no session, no subscription survives.
  broker_.Kill();
  broker_.WipePersistence();
  broker_.Start();
  ASSERT_TRUE(Eventually([&] { return connects >= 2; }, seconds(20))) << "the bus must reconnect by itself";

  MqttProbe publisher(broker_.uri(), "probe-publisher", {});
  publisher.Connect();
  publisher.Publish("orders/created", "after the amnesia");
  EXPECT_TRUE(Eventually(
      [&] {
        std::lock_guard lock(mu);
        return std::find(payloads.begin(), payloads.end(), "after the amnesia") != payloads.end();
      },
      seconds(10)));
  bus->Stop();
}

TEST_F(MqttBusTest, PublishingWhileDisconnectedAcknowledgesNothing) {
  auto bus = MakeBus("bus-offline");
  ASSERT_TRUE(bus->Start().ok());
  ASSERT_TRUE(Eventually([&] { return bus->IsConnected(); }, seconds(10)));
  broker_.Kill();
  ASSERT_TRUE(Eventually([&] { return !bus->IsConnected(); }, seconds(30)));
  std::vector<messaging::OutgoingMessage> batch{{"a/b", "x"}, {"a/b", "y"}};
  EXPECT_EQ(bus->PublishBatch(batch, std::chrono::milliseconds(500)), 0u);
  bus->Stop();
}

}  // namespace
}  // namespace sagaflow::testing

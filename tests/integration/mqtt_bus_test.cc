// messaging::MqttBus against a real Mosquitto: batches, acknowledgements and re-subscribing.
#include <gtest/gtest.h>

#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <atomic>
#include <charconv>
#include <cstring>
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

// TCP_NODELAY of each of this process's sockets connected to 127.0.0.1:port, read back from the kernel.
std::vector<bool> NoDelayOfConnectionsTo(int port) {
  std::vector<bool> result;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return result;
  while (const dirent* entry = readdir(dir)) {
    int fd = -1;
    if (std::from_chars(entry->d_name, entry->d_name + std::strlen(entry->d_name), fd).ec != std::errc()) continue;
    sockaddr_in peer{};
    socklen_t length = sizeof(peer);
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0 || peer.sin_family != AF_INET) continue;
    if (ntohs(peer.sin_port) != port) continue;
    int value = 0;
    socklen_t value_length = sizeof(value);
    if (getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &value, &value_length) == 0) result.push_back(value != 0);
  }
  closedir(dir);
  return result;
}

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

// Regression: Paho opens its socket with Nagle on, so a PUBLISH written right after a PUBACK waited for the
// broker's delayed ACK (40 ms per hop, ~230 ms end to end at any load). Also after a reconnect.
TEST_F(MqttBusTest, TheBrokerConnectionHasNagleOffAlsoAfterAReconnect) {
  auto bus = MakeBus("bus-nodelay");
  std::atomic<int> connects{0};
  bus->SetConnectedCallback([&] { ++connects; });
  ASSERT_TRUE(bus->Start().ok());
  ASSERT_TRUE(Eventually([&] { return connects >= 1; }, seconds(10)));
  EXPECT_EQ(NoDelayOfConnectionsTo(broker_.port()), std::vector<bool>{true});

  broker_.Kill();
  broker_.Start();
  ASSERT_TRUE(Eventually([&] { return connects >= 2; }, seconds(20)));
  EXPECT_EQ(NoDelayOfConnectionsTo(broker_.port()), std::vector<bool>{true}) << "the new socket too";
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

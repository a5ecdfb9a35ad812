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
  MqttBusTest() : broker_(home_.path(), FreePort()) {
    for (const char* account :
         {"probe-batch", "probe-publisher", "bus-batch", "bus-resubscribe", "bus-nodelay", "bus-offline"}) {
      broker_.AddTestAccount(account);
    }
    broker_.Start();
  }

  std::unique_ptr<messaging::MqttBus> MakeBus(const std::string& account) {
    const auto login = broker_.Login(account);
    return std::make_unique<messaging::MqttBus>(
        messaging::MqttBusOptions{
            .server_uri = broker_.uri(), .client_id = account, .username = login.username, .password = login.password},
        MakeNullLogger(), random_);
  }

  TempDir home_;
  Broker broker_;
  SeededRandom random_{3};
};

// Regression: Paho C queues at most 100 publish commands by default, also while connected, so every batch
// of more than 100 was cut short (error -12) and the relay backed off; the throughput collapsed.
TEST_F(MqttBusTest, ABatchOfMoreThanAHundredPublishesWasCutAtPahosDefaultBuffer) {
  MqttProbe probe(broker_.uri(), broker_.Login("probe-batch"), {"bench/batch"});
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

  MqttProbe publisher(broker_.uri(), broker_.Login("probe-publisher"), {});
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

// An ssl:// broker URI with the CA file that signed the broker's certificate connects; without it (the
// system's CAs do not know the test CA) the same URI is refused, so the certificate is really checked.
TEST(MqttBusTlsTest, AnSslUriConnectsWithTheCaFileAndIsRefusedWithoutIt) {
  TempDir home;
  Broker broker(home.path(), FreePort());
  broker.AddTestAccount("bus-tls");
  const int tls_port = FreePort();
  const std::string ca_file = broker.EnableTls(tls_port);
  broker.Start();
  ASSERT_TRUE(Eventually([&] { return PortAccepts(tls_port); }, seconds(10)));
  SeededRandom random(5), other_random(6);
  const auto login = broker.Login("bus-tls");
  const std::string uri = "ssl://127.0.0.1:" + std::to_string(tls_port);

  messaging::MqttBus untrusting(
      {.server_uri = uri, .client_id = "bus-tls", .username = login.username, .password = login.password},
      MakeNullLogger(), other_random);
  ASSERT_TRUE(untrusting.Start().ok());
  messaging::MqttBus trusting({.server_uri = uri,
                               .client_id = "bus-tls",
                               .username = login.username,
                               .password = login.password,
                               .ca_file = ca_file},
                              MakeNullLogger(), random);
  ASSERT_TRUE(trusting.Start().ok());
  EXPECT_TRUE(Eventually([&] { return trusting.IsConnected(); }, seconds(15)));
  // The untrusting bus has been retrying all along and never got through.
  EXPECT_FALSE(untrusting.IsConnected());
  untrusting.Stop();
  trusting.Stop();
}

}  // namespace
}  // namespace sagaflow::testing

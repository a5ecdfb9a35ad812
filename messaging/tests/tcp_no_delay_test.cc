// TCP_NODELAY on connections to the broker, over real loopback sockets (no broker needed).
#include "messaging/tcp_no_delay.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace sagaflow::messaging {
namespace {

// A listening socket on 127.0.0.1 and one client connected to it.
class LoopbackPair {
 public:
  LoopbackPair() {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    listen(listener_, 1);
    socklen_t length = sizeof(address);
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    client_ = socket(AF_INET, SOCK_STREAM, 0);
    connect(client_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  }
  ~LoopbackPair() {
    close(client_);
    close(listener_);
  }
  LoopbackPair(const LoopbackPair&) = delete;
  LoopbackPair& operator=(const LoopbackPair&) = delete;

  int port() const { return port_; }
  bool ClientHasNoDelay() const {
    int value = 0;
    socklen_t length = sizeof(value);
    getsockopt(client_, IPPROTO_TCP, TCP_NODELAY, &value, &length);
    return value != 0;
  }

 private:
  int listener_ = -1;
  int client_ = -1;
  int port_ = 0;
};

TEST(TcpNoDelayTest, SetsTheOptionOnTheConnectionToTheGivenPeer) {
  LoopbackPair pair;
  ASSERT_FALSE(pair.ClientHasNoDelay()) << "sockets start with Nagle on";
  auto set = SetNoDelayOnConnectionsTo("127.0.0.1", pair.port());
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(*set, 1);
  EXPECT_TRUE(pair.ClientHasNoDelay());
}

TEST(TcpNoDelayTest, LeavesConnectionsToOtherPeersAlone) {
  LoopbackPair pair;
  LoopbackPair other;
  ASSERT_TRUE(SetNoDelayOnConnectionsTo("127.0.0.1", pair.port()).ok());
  EXPECT_FALSE(other.ClientHasNoDelay());
  auto wrong_address = SetNoDelayOnConnectionsTo("127.0.0.2", other.port());
  ASSERT_TRUE(wrong_address.ok());
  EXPECT_EQ(*wrong_address, 0);
  EXPECT_FALSE(other.ClientHasNoDelay());
}

TEST(TcpNoDelayTest, AHostNameMatchesOnThePortAlone) {
  LoopbackPair pair;
  auto set = SetNoDelayOnConnectionsTo("localhost", pair.port());
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(*set, 1);
  EXPECT_TRUE(pair.ClientHasNoDelay());
}

TEST(TcpNoDelayTest, ParsesBrokerUris) {
  auto plain = ParseBrokerUri("tcp://127.0.0.1:1883");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->first, "127.0.0.1");
  EXPECT_EQ(plain->second, 1883);
  auto v6 = ParseBrokerUri("tcp://[::1]:32883");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->first, "::1");
  EXPECT_EQ(v6->second, 32883);
  auto bare = ParseBrokerUri("broker.local:1883");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->first, "broker.local");
  for (const char* bad : {"tcp://127.0.0.1", "tcp://127.0.0.1:", "tcp://:1883", "tcp://h:70000", "tcp://h:12x"}) {
    EXPECT_TRUE(ParseBrokerUri(bad).status().IsInvalidArgument()) << bad;
  }
}

}  // namespace
}  // namespace sagaflow::messaging

// Who can reach the real binaries over HTTP: the order API's keys and Host check, the admin token on
// the orchestrator's retry, and a refusal to serve beyond loopback without keys. Also one attack from
// the hostile-client list (a chunked body of 40,000 one-byte chunks, which used to pin a thread for ever)
// against the real order service, with another client served meanwhile.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "http/health.h"
#include "tests/support/system.h"

namespace sagaflow::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kOrder =
    R"({"customerId": "C1", "items": [{"productId": "P001", "quantity": 1, "price": 5.00}]})";

std::string WriteKeys(const std::string& home, const std::string& keys) {
  std::string path = home + "/api-keys";
  std::ofstream(path) << keys;
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace);
  return path;
}

// Sends `bytes` on a fresh connection to 127.0.0.1:port in writes of `chunk` bytes; keeps the socket.
int SendRaw(int port, const std::string& bytes, size_t chunk) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) return -1;
  for (size_t at = 0; at < bytes.size(); at += chunk) {
    if (send(fd, bytes.data() + at, std::min(chunk, bytes.size() - at), MSG_NOSIGNAL) < 0) break;
  }
  return fd;
}

TEST(FrontDoorTest, WithAKeysFileTheOrderApiRequiresABearerKeyButHealthStaysOpen) {
  SystemOptions options;
  TempDir keys_dir;
  options.extra_env["SAGAFLOW_API_KEYS_FILE"] = WriteKeys(keys_dir.path(), "# clients\nkey-for-shop\n");
  System system(options);
  system.Start();  // waits for GET /health: open without a key
  HttpClient client(system.http_port());
  auto refused = client.PostJson("/api/orders", kOrder);
  EXPECT_EQ(refused.status, 401) << refused.body;
  EXPECT_NE(refused.body.find("\"error\""), std::string::npos);
  auto wrong = client.PostJson("/api/orders", kOrder, {{"Authorization", "Bearer key-for-someone"}});
  EXPECT_EQ(wrong.status, 401);
  auto accepted = client.PostJson("/api/orders", kOrder, {{"Authorization", "Bearer key-for-shop"}});
  EXPECT_EQ(accepted.status, 202) << accepted.body;
}

TEST(FrontDoorTest, AHostNameFromARebindingPageIsRefused) {
  System system;
  system.Start();
  HttpClient client(system.http_port());
  auto foreign = client.Request("GET", "/api/orders", "", {{"Host", "attacker.example:5000"}});
  EXPECT_EQ(foreign.status, 421) << foreign.body;
  auto local = client.Request("GET", "/api/orders", "", {{"Host", "localhost:5000"}});
  EXPECT_EQ(local.status, 200) << local.body;
}

TEST(FrontDoorTest, RetryOnTheAdminPortRequiresTheAdminTokenThatSagactlReads) {
  System system;
  system.Start();
  HttpClient admin(system.http_port() + 1);
  EXPECT_EQ(admin.Get("/health").status, 200) << "health needs no token";
  auto refused = admin.Request("POST", "/admin/sagas/retry?id=nope");
  EXPECT_EQ(refused.status, 401) << refused.body;
  const std::string token = ReadFile(http::AdminTokenPath(system.home()));
  ASSERT_FALSE(token.empty());
  auto allowed = admin.Request("POST", "/admin/sagas/retry?id=nope", "",
                               {{"Authorization", "Bearer " + token.substr(0, token.find('\n'))}});
  EXPECT_EQ(allowed.status, 404) << "past the token, the orchestrator looks the saga up: " << allowed.body;
}

TEST(FrontDoorTest, BeyondLoopbackWithoutKeysTheOrderServiceRefusesToStart) {
  TempDir home;
  Service service("order-service", home.path(), {FreePort(), FreePortRange(5)}, {{"SAGAFLOW_BIND", "0.0.0.0"}});
  service.Start();
  auto code = service.process().WaitExit(seconds(20));
  ASSERT_TRUE(code.has_value()) << service.process().Log();
  EXPECT_NE(*code, 0);
  EXPECT_NE(service.process().Log().find("--api-keys-file"), std::string::npos) << service.process().Log();
}

TEST(FrontDoorTest, AChunkedBodyOfFortyThousandOneByteChunksDoesNotStopOthersBeingServed) {
  System system;
  system.Start();
  std::string attack =
      "POST /api/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 40'000; ++i) attack += "1\r\nx\r\n";
  attack += "0\r\n\r\n";
  std::vector<int> sockets;
  sockets.reserve(2);
  for (int i = 0; i < 2; ++i) sockets.push_back(SendRaw(system.http_port(), attack, 7));
  HttpClient client(system.http_port());
  const auto start = std::chrono::steady_clock::now();
  auto answered = client.PostJson("/api/orders", kOrder);
  EXPECT_EQ(answered.status, 202) << answered.body;
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(1));
  for (int fd : sockets) close(fd);
}

}  // namespace
}  // namespace sagaflow::testing

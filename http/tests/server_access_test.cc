// Loopback tests of the Host check and bearer authentication as HttpServer applies them: refused before
// the body is read or the handler runs, with a JSON answer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "http/tests/raw_connection.h"
#include "http/tests/test_server.h"

namespace sagaflow::http::testing {
namespace {

constexpr auto kSecond = std::chrono::milliseconds(1000);

std::optional<RawResponse> Ask(int port, const std::string& request) {
  RawConnection connection(port);
  connection.Send(request);
  return connection.ReadResponse(kSecond);
}

std::string GetWithHost(const std::string& host) {
  return "GET /echo HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
}

TEST(ServerAccessTest, HostCheckAllowsConfiguredAndLoopbackNamesAndRefusesOthers) {
  HttpServerOptions options;
  options.check_host = true;
  options.allowed_hosts = {"orders.example"};
  TestServer server(options);
  for (const char* host : {"orders.example", "orders.example:5000", "localhost:5000", "127.0.0.1", "[::1]:5000"}) {
    const auto response = Ask(server.port(), GetWithHost(host));
    ASSERT_TRUE(response) << host;
    EXPECT_EQ(response->status, 200) << host;
  }
  const auto rebound = Ask(server.port(), GetWithHost("attacker.example:5000"));
  ASSERT_TRUE(rebound);
  ExpectJsonError(*rebound, 421);
  const auto missing = Ask(server.port(), "GET /echo HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(missing);
  ExpectJsonError(*missing, 400);
  const auto twice = Ask(server.port(), "GET /echo HTTP/1.1\r\nHost: localhost\r\nHost: attacker.example\r\n\r\n");
  ASSERT_TRUE(twice);
  ExpectJsonError(*twice, 400);
}

TEST(ServerAccessTest, HostCheckIsOffByDefault) {
  TestServer server;
  const auto response = Ask(server.port(), GetWithHost("anything.example"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST(ServerAccessTest, BearerKeyIsRequiredOutsideExemptPaths) {
  HttpServerOptions options;
  options.bearer_keys = {"key-one", "key-two"};
  options.auth_exempt_paths = {"/health"};
  TestServer server(options);

  const auto missing = Ask(server.port(), Get("/echo"));
  ASSERT_TRUE(missing);
  ExpectJsonError(*missing, 401);
  EXPECT_EQ(missing->headers.count("www-authenticate") ? missing->headers.at("www-authenticate") : "", "Bearer");

  const auto wrong = Ask(server.port(), Get("/echo", "Authorization: Bearer key-three\r\n"));
  ASSERT_TRUE(wrong);
  ExpectJsonError(*wrong, 401);

  const auto right = Ask(server.port(), Get("/echo", "Authorization: Bearer key-two\r\n"));
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200);

  const auto exempt = Ask(server.port(), Get("/health"));
  ASSERT_TRUE(exempt);
  EXPECT_EQ(exempt->status, 200);
}

TEST(ServerAccessTest, UnauthenticatedBodyIsRefusedBeforeItIsSent) {
  HttpServerOptions options;
  options.bearer_keys = {"key-one"};
  TestServer server(options);
  RawConnection client(server.port());
  client.Send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 60000\r\n\r\n");
  const auto response = client.ReadResponse(kSecond);
  ASSERT_TRUE(response) << "the server waited for the body of a request it refuses";
  ExpectJsonError(*response, 401);
  EXPECT_TRUE(client.WaitForClose(kSecond));
}

}  // namespace
}  // namespace sagaflow::http::testing

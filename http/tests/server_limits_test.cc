// Loopback tests of HttpServer's framing limits, one per reported attack: each asserts that the attack is
// refused or bounded and that a normal request on another connection is answered within a second meanwhile.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "http/tests/raw_connection.h"
#include "http/tests/test_server.h"

namespace sagaflow::http::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr auto kSecond = std::chrono::milliseconds(1000);

std::string ChunkedPostHead() {
  return "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Transfer-Encoding: chunked\r\n\r\n";
}

std::string OneByteChunks(int count) {
  std::string chunks;
  chunks.reserve(static_cast<size_t>(count) * 6);
  for (int i = 0; i < count; ++i) chunks += "1\r\nx\r\n";
  return chunks;
}

// Regression: ~40,000 one-byte chunks, arriving in 7-byte writes so that chunk headers straddle reads,
// pinned a Pistache reactor thread at 100% CPU for ever; two took the whole API down.
TEST(ServerLimitsTest, ChunkedFloodOfOneByteChunksIsDecodedWhileOthersAreServed) {
  TestServer server;
  RawConnection first(server.port());
  RawConnection second(server.port());
  for (RawConnection* attacker : {&first, &second}) {
    ASSERT_TRUE(attacker->Send(ChunkedPostHead()));
    ASSERT_TRUE(attacker->SendInPieces(OneByteChunks(20'000), 7));
  }
  EXPECT_TRUE(server.TimeNormalRequest()) << "a normal request waited more than a second mid-attack";
  for (RawConnection* attacker : {&first, &second}) {
    ASSERT_TRUE(attacker->SendInPieces(OneByteChunks(20'000) + "0\r\n\r\n", 7));
  }
  EXPECT_TRUE(server.TimeNormalRequest()) << "a normal request waited more than a second mid-attack";
  for (RawConnection* attacker : {&first, &second}) {
    const auto response = attacker->ReadResponse(5s);
    ASSERT_TRUE(response) << "the chunked request was never answered";
    EXPECT_EQ(response->status, 200);
    EXPECT_THAT(response->body, HasSubstr("\"body_bytes\":40000"));
  }
}

TEST(ServerLimitsTest, ChunkedBodyOverTheBodyLimitIs413) {
  HttpServerOptions options;
  options.max_body_bytes = 1000;
  TestServer server(options);
  RawConnection attacker(server.port());
  attacker.Send(ChunkedPostHead() + OneByteChunks(1001));
  const auto response = attacker.ReadResponse(kSecond);
  ASSERT_TRUE(response);
  ExpectJsonError(*response, 413);
  EXPECT_TRUE(attacker.WaitForClose(kSecond));
}

TEST(ServerLimitsTest, EndlessChunkExtensionIsRefusedWithoutBufferingIt) {
  TestServer server;
  RawConnection attacker(server.port());
  ASSERT_TRUE(attacker.Send(ChunkedPostHead() + "1;"));
  const std::string piece(64 << 10, 'a');
  std::optional<RawResponse> response;
  for (int sent = 0; sent < 160 && !response; ++sent) {  // 10 MiB of one chunk-size line
    if (!attacker.Send(piece)) break;
    response = attacker.ReadResponse(5ms);
  }
  if (!response) response = attacker.ReadResponse(kSecond);
  ASSERT_TRUE(response) << "an endless chunk-size line was buffered instead of refused";
  ExpectJsonError(*response, 400);
  EXPECT_TRUE(server.TimeNormalRequest());
}

// Regression: a 3 MiB header took ~15 s to parse (quadratic) while nothing else was answered.
TEST(ServerLimitsTest, HugeHeaderIs431WithoutReadingItAllWhileOthersAreServed) {
  TestServer server;
  RawConnection attacker(server.port());
  ASSERT_TRUE(attacker.Send("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "));
  const std::string piece(64 << 10, 'a');
  std::optional<RawResponse> response;
  for (int sent = 0; sent < 48 && !response; ++sent) {  // 3 MiB
    if (!attacker.Send(piece)) break;
    if (sent == 8) {
      EXPECT_TRUE(server.TimeNormalRequest()) << "a normal request waited more than a second";
    }
    response = attacker.ReadResponse(10ms);
  }
  if (!response) response = attacker.ReadResponse(kSecond);
  ASSERT_TRUE(response) << "no answer to a 3 MiB header";
  ExpectJsonError(*response, 431);
  EXPECT_TRUE(server.TimeNormalRequest());
}

TEST(ServerLimitsTest, TooManyHeaderFieldsIs431) {
  TestServer server;
  std::string fields;
  for (int i = 0; i < 500; ++i) fields += "X-F" + std::to_string(i) + ": 1\r\n";
  RawConnection attacker(server.port());
  attacker.Send(Get("/echo", fields));
  const auto response = attacker.ReadResponse(kSecond);
  ASSERT_TRUE(response);
  ExpectJsonError(*response, 431);
}

TEST(ServerLimitsTest, LongRequestLineIs414) {
  TestServer server;
  RawConnection attacker(server.port());
  attacker.Send(Get("/" + std::string(100'000, 'a')));
  const auto response = attacker.ReadResponse(kSecond);
  ASSERT_TRUE(response);
  ExpectJsonError(*response, 414);
}

// Regression: a stalled 16 MB upload held ~31 MB, because the 64 KiB limit applied only after buffering.
TEST(ServerLimitsTest, ContentLengthOverTheLimitIs413BeforeTheBodyIsSent) {
  TestServer server;  // the default body limit is the order API's 64 KiB
  RawConnection attacker(server.port());
  attacker.Send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 16777216\r\n\r\n");
  const auto response = attacker.ReadResponse(kSecond);
  ASSERT_TRUE(response) << "the server waits for a body it is going to refuse";
  ExpectJsonError(*response, 413);
  EXPECT_TRUE(attacker.WaitForClose(kSecond));
  EXPECT_TRUE(server.TimeNormalRequest());
}

TEST(ServerLimitsTest, BodyAtTheLimitIsAccepted) {
  HttpServerOptions options;
  options.max_body_bytes = 1000;
  TestServer server(options);
  RawConnection client(server.port());
  client.Send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'b'));
  const auto response = client.ReadResponse(kSecond);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_THAT(response->body, HasSubstr("\"body_bytes\":1000"));
}

class BadContentLengthTest : public ::testing::TestWithParam<const char*> {};

// Regression: conflicting or garbage Content-Length was accepted; "-1" answered 500 with exception text.
TEST_P(BadContentLengthTest, Is400JsonAndCloses) {
  TestServer server;
  RawConnection attacker(server.port());
  attacker.Send(std::string("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n") + GetParam() + "\r\n\r\nhello");
  const auto response = attacker.ReadResponse(kSecond);
  ASSERT_TRUE(response);
  ExpectJsonError(*response, 400);
  EXPECT_THAT(response->body, Not(HasSubstr("stoi")));
  EXPECT_TRUE(attacker.WaitForClose(kSecond)) << "framing is in doubt, so the connection must close";
}

INSTANTIATE_TEST_SUITE_P(Variants, BadContentLengthTest,
                         ::testing::Values("Content-Length: 5\r\nContent-Length: 6", "Content-Length: abc",
                                           "Content-Length: -1", "Content-Length: 5, 6",
                                           "Content-Length: 99999999999999999999999",
                                           "Content-Length: 5\r\nTransfer-Encoding: chunked"));

TEST(ServerLimitsTest, HandlerExceptionIs500WithoutInternalText) {
  TestServer server;
  RawConnection client(server.port());
  client.Send(Get("/throw"));
  const auto response = client.ReadResponse(kSecond);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_THAT(response->body, Not(HasSubstr("secret")));
  EXPECT_TRUE(server.TimeNormalRequest());
}

TEST(ServerLimitsTest, GarbageRequestLineIs400Json) {
  TestServer server;
  RawConnection attacker(server.port());
  attacker.Send("\x01\x02 nonsense\r\n\r\n");
  const auto response = attacker.ReadResponse(kSecond);
  ASSERT_TRUE(response);
  ExpectJsonError(*response, 400);
}

}  // namespace
}  // namespace sagaflow::http::testing

// TestServer: an HttpServer on a free loopback port with a handler made for attack tests, plus the probe
// every attack test ends with: "is a normal request on another connection answered within a second?".
//
// Routes: /throw throws (with internal text the answer must not show); /slow blocks until ReleaseSlow();
// anything else echoes {"method", "path", "body_bytes"}. Not thread-safe apart from the handler itself.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

#include "http/server.h"
#include "http/tests/raw_connection.h"

namespace sagaflow::http::testing {

class TestServer {
 public:
  explicit TestServer(HttpServerOptions options = {});
  ~TestServer();

  int port() const { return port_; }
  HttpServer& server() { return *server_; }
  int slow_requests_started() const { return slow_started_.load(); }
  void ReleaseSlow();

  // Sends GET /echo on a new connection; the time until its 200 arrived, or nullopt after a second.
  std::optional<std::chrono::milliseconds> TimeNormalRequest();

 private:
  HttpResponse Handle(const HttpRequest& request);

  int port_;
  std::atomic<int> slow_started_{0};
  std::mutex mutex_;
  std::condition_variable released_cv_;
  bool released_ = false;
  std::unique_ptr<HttpServer> server_;
};

// The response's content type is JSON and its body is {"error": "<non-empty>"}; a gtest failure if not.
void ExpectJsonError(const RawResponse& response, int status);

// "GET <path> HTTP/1.1" with Host and the given extra header lines (each ending in \r\n).
std::string Get(const std::string& path, const std::string& extra_headers = "");

}  // namespace sagaflow::http::testing

#include "http/tests/test_server.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <stdexcept>

#include "common/json_writer.h"

namespace sagaflow::http::testing {

namespace {
using Clock = std::chrono::steady_clock;
}

TestServer::TestServer(HttpServerOptions options) {
  options.bind_address = "127.0.0.1";
  options.port = FreePort();
  server_ = std::make_unique<HttpServer>(
      options, [this](const HttpRequest& request) { return Handle(request); }, MakeNullLogger());
  const Status started = server_->Start();
  EXPECT_TRUE(started.ok()) << started.ToString();
  port_ = options.port;
}

TestServer::~TestServer() {
  ReleaseSlow();
  server_->Stop();
}

void TestServer::ReleaseSlow() {
  std::lock_guard<std::mutex> lock(mutex_);
  released_ = true;
  released_cv_.notify_all();
}

HttpResponse TestServer::Handle(const HttpRequest& request) {
  if (request.path == "/throw") throw std::runtime_error("secret internal detail");
  if (request.path == "/slow") {
    ++slow_started_;
    std::unique_lock<std::mutex> lock(mutex_);
    released_cv_.wait_for(lock, std::chrono::seconds(10), [this] { return released_; });
  }
  JsonWriter json;
  json.BeginObject();
  json.Key("method").String(request.method);
  json.Key("path").String(request.path);
  json.Key("body_bytes").Int(static_cast<int64_t>(request.body.size()));
  json.EndObject();
  return JsonOk(200, json.Take());
}

std::optional<std::chrono::milliseconds> TestServer::TimeNormalRequest() {
  const auto start = Clock::now();
  RawConnection connection(port_);
  if (!connection.connected() || !connection.Send(Get("/echo"))) return std::nullopt;
  const auto response = connection.ReadResponse(std::chrono::seconds(1));
  if (!response || response->status != 200) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

void ExpectJsonError(const RawResponse& response, int status) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.headers.count("content-type") ? response.headers.at("content-type") : "", "application/json");
  simdjson::dom::parser parser;
  std::string_view error;
  EXPECT_EQ(parser.parse(response.body)["error"].get_string().get(error), simdjson::SUCCESS) << response.body;
  EXPECT_FALSE(error.empty()) << response.body;
}

std::string Get(const std::string& path, const std::string& extra_headers) {
  return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers + "\r\n";
}

}  // namespace sagaflow::http::testing

// HttpServer: serves one request handler over HTTP/1.1 to clients that may be hostile.
//
// The handler is a plain function (http_types.h) called on one of `threads` I/O threads; it must be
// thread-safe. A slow handler holds only its own thread; the others keep serving every other connection.
// Exceptions from the handler become a JSON 500 without internal text. Before the handler runs, every
// request is held to the limits below (sizes, timeouts, connection count, Host, bearer key); a refusal is a
// JSON {"error": ...} answer and, when framing is in doubt, the connection is closed. Start() binds the
// port (an address in use is an IoError naming the port) and serves in the background; Stop() closes every
// connection and returns once the threads have finished the handlers they were running.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/logging.h"
#include "common/status.h"
#include "http/http_types.h"

namespace sagaflow::http {

struct HttpServerOptions {
  std::string bind_address = "127.0.0.1";
  int port = 5000;  // 0: any free port (bound_port() says which)
  int threads = 2;

  // Framing limits, checked while reading, before anything is buffered beyond them.
  size_t max_request_line_bytes = 8 << 10;  // a longer request line is 414
  size_t max_header_bytes = 16 << 10;       // request line plus all fields; more is 431
  size_t max_header_count = 100;            // more fields is 431
  size_t max_body_bytes = 64 << 10;         // from Content-Length before reading, or decoded chunked: 413

  // A connection is closed when the header takes longer than header_timeout from its first byte (or from
  // connect), the body longer than body_timeout, or the next request does not start within idle_timeout.
  std::chrono::milliseconds header_timeout{5'000};
  std::chrono::milliseconds body_timeout{10'000};
  std::chrono::milliseconds idle_timeout{30'000};
  // Connections beyond this many are accepted and closed at once.
  int max_connections = 512;

  // Host check (against DNS rebinding): when on, a request whose Host is not in allowed_hosts is 421. For a
  // loopback bind_address, localhost, 127.0.0.1 and [::1] are always allowed. Ports are not compared.
  bool check_host = false;
  std::vector<std::string> allowed_hosts = {};
  // Bearer authentication: when bearer_keys is not empty, a request to a path outside auth_exempt_paths
  // needs "Authorization: Bearer <one of the keys>", else 401.
  std::vector<std::string> bearer_keys = {};
  std::set<std::string> auth_exempt_paths = {};
};

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  HttpServer(HttpServerOptions options, Handler handler, Logger logger);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  Status Start();
  void Stop();
  // The port actually bound (differs from options.port when that was 0); 0 before Start().
  int bound_port() const;

 private:
  class Impl;

  HttpServerOptions options_;
  Handler handler_;
  Logger logger_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sagaflow::http

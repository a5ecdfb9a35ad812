// HttpServer: serves one request handler over HTTP/1.1 with Pistache.
//
// The handler is a plain function (http_types.h) called on Pistache's reactor threads; it must be
// thread-safe and should be quick. Exceptions from the handler become a JSON 500 without internal
// text. Start() binds the port (an address in use is an IoError naming the port) and serves in the
// background; Stop() shuts down. Requests larger than max_request_bytes are refused by Pistache itself.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/logging.h"
#include "common/status.h"
#include "http/http_types.h"

namespace Pistache::Http {
class Endpoint;
}

namespace sagaflow::http {

struct HttpServerOptions {
  std::string bind_address = "127.0.0.1";
  int port = 5000;
  int threads = 2;
  // Larger than any body a handler accepts, so that handlers, not Pistache, refuse big bodies (with JSON).
  size_t max_request_bytes = 16 << 20;
};

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  HttpServer(HttpServerOptions options, Handler handler, Logger logger);
  ~HttpServer();

  Status Start();
  void Stop();

 private:
  HttpServerOptions options_;
  Handler handler_;
  Logger logger_;
  std::unique_ptr<Pistache::Http::Endpoint> endpoint_;
};

}  // namespace sagaflow::http

#include "http/server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <algorithm>
#include <cctype>

namespace sagaflow::http {

namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Pistache clones the handler per reactor thread, so it only holds a pointer to the shared state.
class PistacheAdapter : public Pistache::Http::Handler {
 public:
  HTTP_PROTOTYPE(PistacheAdapter)

  PistacheAdapter(const HttpServer::Handler* handler, Logger logger) : handler_(handler), logger_(std::move(logger)) {}

  void onRequest(const Pistache::Http::Request& request, Pistache::Http::ResponseWriter writer) override {
    HttpResponse response;
    try {
      HttpRequest converted;
      converted.method = Pistache::Http::methodString(request.method());
      converted.path = request.resource();
      const auto& query = request.query();
      for (auto it = query.parameters_begin(); it != query.parameters_end(); ++it) {
        converted.query[it->first] = it->second;
      }
      for (const auto& [name, value] : request.headers().rawList()) {
        converted.headers[Lower(name)] = value.value();
      }
      // Pistache parses well-known headers into typed ones that rawList() does not show.
      if (auto type = request.headers().tryGet<Pistache::Http::Header::ContentType>()) {
        converted.headers["content-type"] = type->mime().toString();
      }
      converted.body = request.body();
      response = (*handler_)(converted);
    } catch (const std::exception& e) {
      logger_->error("HTTP handler failed: {}", e.what());
      response = JsonError(500, "internal error");
    }
    for (const auto& [name, value] : response.headers) {
      // Pistache 0.0.5 serializes only typed headers, not raw ones.
      if (name == "Location") writer.headers().add<Pistache::Http::Header::Location>(value);
    }
    writer.headers().add<Pistache::Http::Header::ContentType>(response.content_type);
    writer.send(static_cast<Pistache::Http::Code>(response.status), response.body);
  }

  void onTimeout(const Pistache::Http::Request&, Pistache::Http::ResponseWriter writer) override {
    writer.send(Pistache::Http::Code::Request_Timeout, "{\"error\":\"request timed out\"}");
  }

 private:
  const HttpServer::Handler* handler_;
  Logger logger_;
};

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, Handler handler, Logger logger)
    : options_(std::move(options)), handler_(std::move(handler)), logger_(std::move(logger)) {}

HttpServer::~HttpServer() {
  Stop();
}

Status HttpServer::Start() {
  try {
    Pistache::Address address(options_.bind_address, Pistache::Port(static_cast<uint16_t>(options_.port)));
    endpoint_ = std::make_unique<Pistache::Http::Endpoint>(address);
    auto opts = Pistache::Http::Endpoint::options()
                    .threads(options_.threads)
                    .maxRequestSize(options_.max_request_bytes)
                    .flags(Pistache::Tcp::Options::ReuseAddr);
    endpoint_->init(opts);
    endpoint_->setHandler(Pistache::Http::make_handler<PistacheAdapter>(&handler_, logger_));
    endpoint_->serveThreaded();
  } catch (const std::exception& e) {
    endpoint_.reset();
    return Status::IoError("cannot serve HTTP on " + options_.bind_address + ":" + std::to_string(options_.port) +
                           ": " + e.what());
  }
  logger_->info("serving HTTP on {}:{}", options_.bind_address, options_.port);
  return Status::Ok();
}

void HttpServer::Stop() {
  if (!endpoint_) return;
  try {
    endpoint_->shutdown();
  } catch (const std::exception& e) {
    logger_->warn("HTTP shutdown: {}", e.what());
  }
  endpoint_.reset();
}

}  // namespace sagaflow::http

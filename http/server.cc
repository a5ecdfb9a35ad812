#include "http/server.h"

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>
#include <vector>

#include "http/connection.h"
#include "http/listener.h"
#include "http/request_gate.h"

namespace sagaflow::http {

namespace asio = boost::asio;

// Everything that exists only while serving. Members are declared in the order they must be built; on
// destruction the io_context goes last but one, destroying the connections its pending operations own
// while the counter and settings they refer to are still alive.
class HttpServer::Impl {
 public:
  Impl(const HttpServerOptions& options, const Handler& handler, Logger logger)
      : gate_(options),
        context_{options, handler, gate_, std::move(logger), open_connections_, idle_},
        io_(options.threads),
        work_(asio::make_work_guard(io_)),
        listener_(io_, context_) {}

  ~Impl() {
    // Threads finish the handler they are running, if any, and run nothing more.
    io_.stop();
    for (auto& thread : threads_) thread.join();
  }

  Status Start() {
    Status bound = listener_.Bind(context_.options.bind_address, context_.options.port);
    if (!bound.ok()) return bound;
    listener_.Start();
    for (int i = 0; i < std::max(1, context_.options.threads); ++i) threads_.emplace_back([this] { Run(); });
    return Status::Ok();
  }

  int BoundPort() const { return listener_.port(); }

 private:
  void Run() {
    while (!io_.stopped()) {
      try {
        io_.run();
      } catch (const std::exception& e) {
        // Handler exceptions are caught in Connection; this is Asio or allocation failing: keep serving.
        context_.logger->error("HTTP I/O thread: {}", e.what());
      }
    }
  }

  std::atomic<int> open_connections_{0};
  IdleConnections idle_;
  RequestGate gate_;
  ConnectionContext context_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  Listener listener_;
  std::vector<std::thread> threads_;
};

HttpServer::HttpServer(HttpServerOptions options, Handler handler, Logger logger)
    : options_(std::move(options)), handler_(std::move(handler)), logger_(std::move(logger)) {}

HttpServer::~HttpServer() {
  Stop();
}

Status HttpServer::Start() {
  if (impl_) return Status::FailedPrecondition("HTTP server already started");
  impl_ = std::make_unique<Impl>(options_, handler_, logger_);
  Status started = impl_->Start();
  if (!started.ok()) {
    impl_.reset();
    return started;
  }
  logger_->info("serving HTTP on {}:{}", options_.bind_address, impl_->BoundPort());
  return Status::Ok();
}

void HttpServer::Stop() {
  impl_.reset();
}

int HttpServer::bound_port() const {
  return impl_ ? impl_->BoundPort() : 0;
}

}  // namespace sagaflow::http

#include "http/listener.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/strand.hpp>
#include <memory>

#include "http/connection_cap.h"

namespace sagaflow::http {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
// Out of descriptors: another accept would fail the same way at once until a connection closes.
constexpr std::chrono::milliseconds kDescriptorBackoff{50};
}  // namespace

Listener::Listener(asio::io_context& io, const ConnectionContext& context)
    : io_(io),
      context_(context),
      max_connections_(ConnectionCapForThisProcess(context.options.max_connections)),
      acceptor_(asio::make_strand(io)),
      backoff_(acceptor_.get_executor()) {
  if (max_connections_ < context_.options.max_connections) {
    context_.logger->warn("HTTP: at most {} connections instead of {}, to stay within the descriptor limit",
                          max_connections_, context_.options.max_connections);
  }
}

Status Listener::Bind(const std::string& address, int port) {
  const std::string where = address + ":" + std::to_string(port);
  boost::system::error_code error;
  tcp::endpoint endpoint;
  const auto ip = asio::ip::make_address(address, error);
  if (!error) {
    endpoint = tcp::endpoint(ip, static_cast<uint16_t>(port));
  } else {
    tcp::resolver resolver(io_);
    const auto resolved = resolver.resolve(address, std::to_string(port), error);
    if (error || resolved.empty()) return Status::IoError("cannot resolve " + where + ": " + error.message());
    endpoint = resolved.begin()->endpoint();
  }
  if (acceptor_.open(endpoint.protocol(), error) ||
      acceptor_.set_option(asio::socket_base::reuse_address(true), error) || acceptor_.bind(endpoint, error) ||
      acceptor_.listen(asio::socket_base::max_listen_connections, error)) {
    return Status::IoError("cannot serve HTTP on " + where + ": " + error.message());
  }
  return Status::Ok();
}

int Listener::port() const {
  boost::system::error_code error;
  const auto endpoint = acceptor_.local_endpoint(error);
  return error ? 0 : endpoint.port();
}

void Listener::Start() {
  asio::dispatch(acceptor_.get_executor(), [this] { Accept(); });
}

void Listener::Accept() {
  // Each connection gets its own strand, so connections run in parallel on the server's threads.
  acceptor_.async_accept(asio::make_strand(io_), [this](boost::system::error_code error, tcp::socket socket) {
    OnAccept(error, std::move(socket));
  });
}

void Listener::OnAccept(boost::system::error_code error, tcp::socket socket) {
  if (error == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (error) {
    if (error == asio::error::no_descriptors || error == asio::error::no_buffer_space ||
        error == asio::error::no_memory || error.value() == ENFILE) {
      context_.logger->warn("HTTP accept: {}; pausing accepts briefly", error.message());
      backoff_.expires_after(kDescriptorBackoff);
      backoff_.async_wait([this](boost::system::error_code wait_error) {
        if (!wait_error) Accept();
      });
      return;
    }
    return Accept();  // e.g. the client reset before we accepted: nothing to do for it
  }
  if (context_.open_connections.load() >= max_connections_) {
    if (auto longest_idle = context_.idle.TakeOldest()) {
      // Its slot frees when it closes, a moment from now: the new client, likely about to send a request,
      // is served rather than a connection that is only waiting.
      longest_idle->Evict();
      socket.set_option(tcp::no_delay(true), error);
      std::make_shared<Connection>(std::move(socket), context_)->Run();
    } else {
      boost::system::error_code ignored;
      socket.close(ignored);  // over the cap and everyone busy: the client sees the connection closed at once
    }
  } else {
    socket.set_option(tcp::no_delay(true), error);
    std::make_shared<Connection>(std::move(socket), context_)->Run();
  }
  Accept();
}

}  // namespace sagaflow::http

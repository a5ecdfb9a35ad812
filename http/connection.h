// Connection: serves the requests of one accepted socket in order (pipelined ones too) until the client
// closes, asks to close, breaks a limit, times out, or the server stops.
//
// Owned by its own pending operations (shared_from_this): it lives while it waits on the socket and dies,
// closing the socket, when nothing waits any more — including when the io_context is destroyed on Stop().
// All its work runs on its own strand; the handler is called there, so one slow handler holds one thread.
// The per-server settings and the open-connection counter live in ConnectionContext, which must outlive
// every Connection.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <memory>
#include <optional>

#include "common/logging.h"
#include "http/beast_messages.h"
#include "http/idle_connections.h"
#include "http/request_gate.h"
#include "http/server.h"

namespace sagaflow::http {

struct ConnectionContext {
  const HttpServerOptions& options;
  const HttpServer::Handler& handler;
  const RequestGate& gate;
  Logger logger;
  std::atomic<int>& open_connections;  // incremented and decremented by Connection itself
  IdleConnections& idle;               // where a Connection waiting for a request can be evicted from
};

class Connection : public Evictable, public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket, const ConnectionContext& context);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Run();
  void Evict() override;

 private:
  void AwaitRequest();
  void ReadHeader();
  void OnHeader(boost::beast::error_code error);
  void ReadBody();
  void OnBody(boost::beast::error_code error);
  void Respond();
  // Writes `response`; then reads the next request, or closes when !keep_alive.
  void Send(HttpResponse response, bool keep_alive);
  void Refuse(HttpResponse response) { Send(std::move(response), false); }
  // Stops sending, then drains what the client still sends for a short while before closing, so that a
  // client still writing gets our answer instead of a reset that would discard it.
  void CloseGracefully();
  void Drain();
  std::optional<HttpResponse> CheckHead();
  bool GotRequestLine();

  boost::beast::tcp_stream stream_;
  const ConnectionContext& context_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  BeastResponse response_;
  bool first_request_ = true;
  bool waiting_for_request_ = false;  // touched on the strand only
  IdleConnections::Token idle_token_ = 0;
};

}  // namespace sagaflow::http

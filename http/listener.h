// Listener: accepts connections on one address and starts a Connection for each, while fewer than
// options.max_connections are open (lowered to fit the descriptor limit, see connection_cap.h). At the cap
// the connection idle for longest is evicted to make room; if none is idle, new connections are accepted and
// closed at once, so the backlog drains instead of the accept loop spinning. When the process runs out of
// descriptors, accepting pauses briefly instead of retrying in a tight loop.
//
// Lives inside HttpServer's io_context; its handlers run on its own strand. Must be destroyed only after
// the io_context stopped running.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <string>

#include "common/status.h"
#include "http/connection.h"

namespace sagaflow::http {

class Listener {
 public:
  Listener(boost::asio::io_context& io, const ConnectionContext& context);

  // Binds and listens; an IoError names the address when that fails (e.g. the port is in use).
  Status Bind(const std::string& address, int port);
  int port() const;
  void Start();

 private:
  void Accept();
  void OnAccept(boost::system::error_code error, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  const ConnectionContext& context_;
  const int max_connections_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_;
};

}  // namespace sagaflow::http

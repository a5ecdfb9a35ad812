// RawConnection: a test-only TCP client to 127.0.0.1 that sends exactly the bytes it is given, so tests can
// play a hostile client (partial requests, bad framing, stalls) that HttpClient would never produce.
//
// Every read takes a deadline and returns what arrived by then; nothing blocks without one. Responses are
// parsed by Content-Length. One connection per object; not thread-safe; the socket closes with the object.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace sagaflow::http::testing {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // False once the peer closed or reset the connection.
  bool Send(const std::string& bytes);
  // Sends `bytes` as separate writes of `piece` bytes each (TCP_NODELAY is set, so mostly separate segments).
  bool SendInPieces(const std::string& bytes, size_t piece);
  // The next complete response, or nullopt if none arrived within `timeout` (or the peer closed first).
  std::optional<RawResponse> ReadResponse(std::chrono::milliseconds timeout);
  // True if the peer closed (EOF or reset) within `timeout`; bytes that arrive meanwhile are kept for
  // ReadResponse.
  bool WaitForClose(std::chrono::milliseconds timeout);

 private:
  // Reads what is available within `timeout` into buffer_; false on timeout, EOF or error (closed_ says which).
  bool ReadSome(std::chrono::milliseconds timeout);

  int fd_ = -1;
  bool closed_ = false;
  std::string buffer_;
};

// A port on 127.0.0.1 that was free a moment ago.
int FreePort();

}  // namespace sagaflow::http::testing

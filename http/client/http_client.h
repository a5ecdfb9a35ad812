// HttpClient: a minimal blocking HTTP/1.1 client over one keep-alive connection to 127.0.0.1, for
// sagactl, the benchmark and the tests. Reads responses by Content-Length, so it never waits for the server
// to close. A failed connection is status 0. Not thread-safe: one client per thread.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace sagaflow::http {

struct HttpResult {
  int status = 0;                              // 0: could not connect or the connection failed
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// The status and headers (lower-case names) of a response's head: its status line and header lines, without
// the blank line that ends them. Shared by HttpClient and the tests' raw connections.
struct ResponseHead {
  int status = 0;
  std::map<std::string, std::string> headers;
};
ResponseHead ParseResponseHead(const std::string& head);

class HttpClient {
 public:
  // A response that does not arrive within `timeout` fails (status 0).
  explicit HttpClient(int port, std::chrono::milliseconds timeout = std::chrono::seconds(15))
      : port_(port), timeout_(timeout) {}
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends Host: 127.0.0.1 unless `headers` has a Host of its own.
  HttpResult Request(const std::string& method, const std::string& path, const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {});
  HttpResult Get(const std::string& path) { return Request("GET", path); }
  // POST with Content-Type: application/json (unless `headers` sets it).
  HttpResult PostJson(const std::string& path, const std::string& body,
                      std::map<std::string, std::string> headers = {});

 private:
  bool Connect();
  void Close();

  int port_;
  std::chrono::milliseconds timeout_;
  int fd_ = -1;
};

}  // namespace sagaflow::http

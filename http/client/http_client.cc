#include "http/client/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace sagaflow::http {

namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

}  // namespace

ResponseHead ParseResponseHead(const std::string& head) {
  ResponseHead parsed;
  const size_t space = head.find(' ');
  if (space != std::string::npos) parsed.status = std::atoi(head.substr(space + 1, 3).c_str());
  size_t line_start = head.find("\r\n");
  while (line_start != std::string::npos) {
    const size_t next = head.find("\r\n", line_start + 2);
    const std::string line =
        head.substr(line_start + 2, next == std::string::npos ? std::string::npos : next - line_start - 2);
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      parsed.headers[Lower(line.substr(0, colon))] = value;
    }
    line_start = next;
  }
  return parsed;
}

HttpClient::~HttpClient() {
  Close();
}

void HttpClient::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

bool HttpClient::Connect() {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port_));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    Close();
    return false;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return true;
}

HttpResult HttpClient::PostJson(const std::string& path, const std::string& body,
                                std::map<std::string, std::string> headers) {
  if (headers.count("Content-Type") == 0) headers["Content-Type"] = "application/json";
  return Request("POST", path, body, headers);
}

HttpResult HttpClient::Request(const std::string& method, const std::string& path, const std::string& body,
                               const std::map<std::string, std::string>& headers) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = fd_ >= 0;
    if (fd_ < 0 && !Connect()) return {};
    std::string request = method;
    request.append(" ").append(path).append(" HTTP/1.1\r\nConnection: keep-alive\r\n");
    bool has_host = false;
    for (const auto& [name, value] : headers) {
      request.append(name).append(": ").append(value).append("\r\n");
      has_host = has_host || Lower(name) == "host";
    }
    if (!has_host) request += "Host: 127.0.0.1\r\n";
    if (!body.empty() || method == "POST") request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    request += "\r\n" + body;
    size_t sent = 0;
    bool failed = false;
    while (sent < request.size()) {
      const ssize_t n = send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        failed = true;
        break;
      }
      sent += static_cast<size_t>(n);
    }
    std::string buffer;
    HttpResult result;
    size_t header_end = std::string::npos;
    size_t content_length = 0;
    while (!failed) {
      if (header_end == std::string::npos) {
        header_end = buffer.find("\r\n\r\n");
        if (header_end != std::string::npos) {
          ResponseHead head = ParseResponseHead(buffer.substr(0, header_end));
          result.status = head.status;
          result.headers = std::move(head.headers);
          content_length = std::strtoul(result.headers["content-length"].c_str(), nullptr, 10);
        }
      }
      if (header_end != std::string::npos && buffer.size() >= header_end + 4 + content_length) {
        result.body = buffer.substr(header_end + 4, content_length);
        return result;
      }
      pollfd waiting{fd_, POLLIN, 0};
      if (poll(&waiting, 1, static_cast<int>(timeout_.count())) <= 0) {
        failed = true;
        break;
      }
      char chunk[16384];
      const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        failed = true;
        break;
      }
      buffer.append(chunk, static_cast<size_t>(n));
    }
    Close();
    if (!reused) return {};  // a fresh connection failed: the server is not there
  }
  return {};
}

}  // namespace sagaflow::http

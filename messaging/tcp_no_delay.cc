#include "messaging/tcp_no_delay.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstring>

namespace sagaflow::messaging {

namespace {

// Whether fd is a TCP socket connected to host:port. `host` empty or not an IP literal: port alone.
bool IsConnectionTo(int fd, const std::string& host, int port) {
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISSOCK(info.st_mode)) return false;
  sockaddr_storage peer{};
  socklen_t length = sizeof(peer);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) return false;
  if (peer.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&peer);
    if (ntohs(v4->sin_port) != port) return false;
    in_addr wanted{};
    if (inet_pton(AF_INET, host.c_str(), &wanted) != 1) return true;
    return wanted.s_addr == v4->sin_addr.s_addr;
  }
  if (peer.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&peer);
    if (ntohs(v6->sin6_port) != port) return false;
    in6_addr wanted{};
    if (inet_pton(AF_INET6, host.c_str(), &wanted) != 1) return true;
    return std::memcmp(&wanted, &v6->sin6_addr, sizeof(wanted)) == 0;
  }
  return false;
}

}  // namespace

Result<int> SetNoDelayOnConnectionsTo(const std::string& host, int port) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return Status::Unavailable(std::string("cannot read /proc/self/fd: ") + std::strerror(errno));
  int set = 0;
  while (const dirent* entry = readdir(dir)) {
    int fd = -1;
    const char* name = entry->d_name;
    const auto parsed = std::from_chars(name, name + std::strlen(name), fd);
    if (parsed.ec != std::errc() || fd == dirfd(dir)) continue;
    if (!IsConnectionTo(fd, host, port)) continue;
    const int on = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == 0) ++set;
  }
  closedir(dir);
  return set;
}

Result<std::pair<std::string, int>> ParseBrokerUri(const std::string& uri) {
  const size_t scheme_end = uri.find("://");
  const size_t host_begin = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const size_t colon = uri.rfind(':');
  if (colon == std::string::npos || colon < host_begin) {
    return Status::InvalidArgument("broker URI '" + uri + "' has no port");
  }
  std::string host = uri.substr(host_begin, colon - host_begin);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  const char* first = uri.data() + colon + 1;
  const char* last = uri.data() + uri.size();
  const auto parsed = std::from_chars(first, last, port);
  if (parsed.ec != std::errc() || parsed.ptr != last || port <= 0 || port > 65535 || host.empty()) {
    return Status::InvalidArgument("broker URI '" + uri + "' is not host:port");
  }
  return std::make_pair(host, port);
}

}  // namespace sagaflow::messaging

// HostCheck: decides whether a request's Host header names this server, so a page on another site cannot
// reach a loopback-only service through DNS rebinding (its requests carry the attacker's host name).
//
// Names compare case-insensitively and without the port ("localhost:5000" is "localhost"). A missing,
// empty or malformed Host is refused. Immutable after construction, so any thread may call it.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace sagaflow::http {

class HostCheck {
 public:
  // allow_loopback_names adds localhost, 127.0.0.1 and [::1] to `allowed_hosts`.
  HostCheck(const std::vector<std::string>& allowed_hosts, bool allow_loopback_names);

  bool Allows(std::string_view host_header) const;

 private:
  std::set<std::string> allowed_;  // lower-case, without ports
};

// The host part of a Host header value, lower-case and without the port: "[::1]:80" -> "[::1]",
// "Example.COM:5000" -> "example.com". nullopt when it is empty or not a host[:port].
std::optional<std::string> HostName(std::string_view host_header);

// True for a bind address that only loopback clients can reach (127.0.0.0/8, ::1, "localhost").
bool IsLoopbackAddress(const std::string& bind_address);

}  // namespace sagaflow::http

#include "http/host_check.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace sagaflow::http {

namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower;
}

bool IsPort(std::string_view text) {
  return !text.empty() && text.size() <= 5 &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool IsHostCharacter(unsigned char c) {
  return std::isalnum(c) || c == '.' || c == '-' || c == '_';
}

}  // namespace

std::optional<std::string> HostName(std::string_view host_header) {
  std::string_view host = host_header;
  if (!host.empty() && host.front() == '[') {  // an IPv6 literal, which has colons of its own
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !IsPort(rest.substr(1)))) return std::nullopt;
    const std::string_view inside = host.substr(1, close - 1);
    if (inside.empty() || !std::all_of(inside.begin(), inside.end(),
                                       [](unsigned char c) { return std::isxdigit(c) || c == ':' || c == '.'; })) {
      return std::nullopt;
    }
    return Lower(host.substr(0, close + 1));
  }
  if (const size_t colon = host.find(':'); colon != std::string_view::npos) {
    if (!IsPort(host.substr(colon + 1))) return std::nullopt;
    host = host.substr(0, colon);
  }
  if (host.empty() || !std::all_of(host.begin(), host.end(), IsHostCharacter)) return std::nullopt;
  return Lower(host);
}

bool IsLoopbackAddress(const std::string& bind_address) {
  if (Lower(bind_address) == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, bind_address.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, bind_address.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

HostCheck::HostCheck(const std::vector<std::string>& allowed_hosts, bool allow_loopback_names) {
  for (const auto& host : allowed_hosts) {
    if (auto name = HostName(host)) allowed_.insert(*name);
  }
  if (allow_loopback_names) allowed_.insert({"localhost", "127.0.0.1", "[::1]"});
}

bool HostCheck::Allows(std::string_view host_header) const {
  const auto name = HostName(host_header);
  return name && allowed_.contains(*name);
}

}  // namespace sagaflow::http

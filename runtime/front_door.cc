#include "runtime/front_door.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "common/secret_file.h"
#include "http/health.h"

namespace sagaflow::runtime {

namespace {

constexpr std::string_view kLoopbackNames[] = {"localhost", "127.0.0.1", "[::1]", "::1"};

bool IsWildcard(std::string_view address) {
  return address == "0.0.0.0" || address == "::" || address == "[::]";
}

// The Host names a server bound to `bind` answers to: loopback names always (a rebinding page's request
// carries the attacker's name, never these), the bind address itself, and the operator's list.
std::vector<std::string> HostsFor(const std::string& bind, const std::string& extra) {
  std::vector<std::string> hosts(std::begin(kLoopbackNames), std::end(kLoopbackNames));
  if (!IsWildcard(bind)) hosts.push_back(bind);
  size_t start = 0;
  while (start <= extra.size()) {
    const size_t comma = std::min(extra.find(',', start), extra.size());
    std::string name = extra.substr(start, comma - start);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (!name.empty()) hosts.push_back(name);
    start = comma + 1;
  }
  return hosts;
}

}  // namespace

bool IsLoopbackAddress(std::string_view address) {
  return address == "localhost" || address == "::1" || address == "[::1]" || address.substr(0, 4) == "127.";
}

Result<http::HttpServerOptions> PublicServerOptions(const FrontDoorConfig& config, int port) {
  http::HttpServerOptions options;
  options.bind_address = config.bind_address;
  options.port = port;
  // A POST holds its thread until the order is on disk; the POSTs waiting together share one fsync, so
  // more threads mean bigger batches (and one slow client holds only one of them).
  options.threads = kPublicServerThreads;
  options.check_host = true;
  options.allowed_hosts = HostsFor(config.bind_address, config.allowed_hosts);
  if (!config.api_keys_file.empty()) {
    auto keys = ReadSecretLines(config.api_keys_file);
    if (!keys.ok()) return Status::InvalidArgument("--api-keys-file: " + keys.status().message());
    options.bearer_keys = std::move(*keys);
    options.auth_exempt_paths = {"/health"};
  } else if (!IsLoopbackAddress(config.bind_address) && !config.insecure) {
    return Status::InvalidArgument("--bind " + config.bind_address +
                                   " is beyond loopback: give --api-keys-file (SAGAFLOW_API_KEYS_FILE), or "
                                   "--insecure to serve without keys");
  }
  return options;
}

Result<http::HttpServerOptions> AdminServerOptions(const FrontDoorConfig& config, int port,
                                                   const std::string& admin_token) {
  if (config.admin_bind_address == config.bind_address && !IsLoopbackAddress(config.bind_address)) {
    return Status::InvalidArgument("--admin-bind must not be the public address " + config.bind_address +
                                   ": admin ports stay off the public interface");
  }
  http::HttpServerOptions options;
  options.bind_address = config.admin_bind_address;
  options.port = port;
  options.check_host = true;
  options.allowed_hosts = HostsFor(config.admin_bind_address, config.allowed_hosts);
  options.bearer_keys = {admin_token};
  options.auth_exempt_paths = {"/health", "/metrics"};
  return options;
}

Result<std::string> EnsureAdminToken(const std::string& home, RandomSource& random) {
  const std::string path = http::AdminTokenPath(home);
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), error);
  if (error) return Status::IoError("cannot create " + std::filesystem::path(path).parent_path().string());
  std::filesystem::permissions(std::filesystem::path(path).parent_path(), std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, error);
  if (!std::filesystem::exists(path)) {
    // Written whole under a private name, then linked: a reader never sees a half-written token, and of
    // two services starting at once the second link fails and both read the first one's token.
    const std::string draft = path + ".draft." + std::to_string(getpid());
    const int fd = open(draft.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return Status::IoError("cannot write " + draft);
    const std::string token = NewUuid(random) + NewUuid(random);
    const std::string text = token + "\n";
    const bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && fsync(fd) == 0;
    close(fd);
    if (written && link(draft.c_str(), path.c_str()) != 0 && errno != EEXIST) {
      unlink(draft.c_str());
      return Status::IoError("cannot create " + path);
    }
    unlink(draft.c_str());
    if (!written) return Status::IoError("cannot write " + draft);
  }
  auto lines = ReadSecretLines(path);
  if (!lines.ok()) return lines.status();
  return lines->front();
}

}  // namespace sagaflow::runtime

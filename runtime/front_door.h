// FrontDoor: who may reach a service over HTTP, as the options of its servers.
//
// The public server (the order API) is open on loopback. Bound beyond loopback, or whenever the operator
// gives a keys file, it requires "Authorization: Bearer <key>" with a key from that file (GET /health
// stays open); beyond loopback without keys it refuses to start unless told --insecure. Admin servers
// (health, metrics and actions such as retry) listen on the admin address, loopback by default and never
// the public address, and every path but /health and /metrics requires the admin token, which
// EnsureAdminToken creates once in $SAGAFLOW_HOME/secrets/admin-token and sagactl reads. Every server
// checks Host against the names it is served under (loopback names, its bind address, --allowed-hosts),
// so a web page cannot reach it through DNS rebinding. Pure functions except the token file.
#pragma once

#include <string>
#include <string_view>

#include "common/random.h"
#include "common/status.h"
#include "http/server.h"

namespace sagaflow::runtime {

struct FrontDoorConfig {
  std::string bind_address = "127.0.0.1";
  std::string admin_bind_address = "127.0.0.1";
  std::string api_keys_file;  // one key per line; empty: no keys
  std::string allowed_hosts;  // comma-separated Host names the servers also answer to
  bool insecure = false;      // serve beyond loopback without keys
};

// 127.0.0.0/8, ::1 and localhost.
bool IsLoopbackAddress(std::string_view address);

inline constexpr int kPublicServerThreads = 16;
Result<http::HttpServerOptions> PublicServerOptions(const FrontDoorConfig& config, int port);
Result<http::HttpServerOptions> AdminServerOptions(const FrontDoorConfig& config, int port,
                                                   const std::string& admin_token);

// The admin token, created (random, mode 0600) if the file does not exist yet. Safe when several
// services start at once: the first to link its file wins, the others read it.
Result<std::string> EnsureAdminToken(const std::string& home, RandomSource& random);

}  // namespace sagaflow::runtime

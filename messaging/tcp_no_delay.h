// Turns off Nagle's algorithm on this process's TCP connections to the broker.
//
// Paho C opens its socket without TCP_NODELAY and does not expose it. Each saga hop writes a PUBACK and
// then a small PUBLISH on the same connection; with Nagle the PUBLISH waits for the broker's delayed ACK
// of the PUBACK (40 ms on Linux), which was most of sagaflow's end-to-end latency at low load. So after
// each connect the bus finds its sockets among /proc/self/fd by their peer address and sets the option.
// Setting it on another client's socket to the same broker in this process is harmless (bench has two).
#pragma once

#include <string>

#include "common/status.h"

namespace sagaflow::messaging {

// Sets TCP_NODELAY on every connected TCP socket of this process whose peer is host:port (an IPv4 or
// IPv6 literal; a host name matches on the port alone). Returns how many sockets it set, or an error if
// /proc/self/fd cannot be read.
Result<int> SetNoDelayOnConnectionsTo(const std::string& host, int port);

// The host and port of a "tcp://host:port" (or "mqtt://") URI; InvalidArgument if it has neither.
Result<std::pair<std::string, int>> ParseBrokerUri(const std::string& uri);

}  // namespace sagaflow::messaging

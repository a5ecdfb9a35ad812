// The number of connections an HttpServer may hold open: the configured cap, lowered when the process's
// descriptor limit is too small for it, so that HTTP connections alone can never exhaust the descriptors
// the database, the broker and the listening socket need (at the limit, accept() fails in a loop and the
// API answers nobody). Pure apart from ConnectionCapForThisProcess, which reads RLIMIT_NOFILE.
#pragma once

#include <cstdint>

namespace sagaflow::http {

// Descriptors kept out of the HTTP budget for everything else the process opens.
inline constexpr uint64_t kReservedDescriptors = 64;

int ConnectionCap(int configured, uint64_t open_file_limit);
int ConnectionCapForThisProcess(int configured);

}  // namespace sagaflow::http

#include "tests/support/test_env.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace sagaflow::testing {

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

namespace {

bool PortIsFree(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return ok;
}

// Ports for the system under test come from below the kernel's ephemeral range (32768 and up on Linux): a port the
// kernel hands out may go to an outgoing connection (a service's broker client, a test's HTTP client) between the
// moment a test picks it and the moment its server binds it, and the server then fails with "Address already in use".
constexpr int kLowestPort = 20000;
constexpr int kPastHighestPort = 32768;

}  // namespace

int FreePort() {
  return FreePortRange(1);
}

int FreePortRange(int count) {
  // A random start, so that tests running at once seldom probe the same ports.
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> first_port(kLowestPort, kPastHighestPort - count);
  for (int attempt = 0; attempt < 500; ++attempt) {
    const int first = first_port(random);
    bool all_free = true;
    for (int i = 0; i < count && all_free; ++i) all_free = PortIsFree(first + i);
    if (all_free) return first;
  }
  throw std::runtime_error("no range of free ports found");
}

std::string BinDir() {
  return SAGAFLOW_TEST_BIN_DIR;
}
std::string SourceDir() {
  return SAGAFLOW_TEST_SOURCE_DIR;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace sagaflow::testing

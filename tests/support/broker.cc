#include "tests/support/broker.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "tests/support/test_env.h"

namespace sagaflow::testing {

namespace {

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

std::string CurrentUser() {
  const passwd* entry = getpwuid(getuid());
  return entry != nullptr ? entry->pw_name : "root";
}

}  // namespace

bool PortAccepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return ok;
}

Broker::Broker(std::string home, int port) : home_(std::move(home)), port_(port), dir_(home_ + "/mosquitto") {
  std::filesystem::create_directories(dir_);
  std::filesystem::create_directories(home_ + "/log");
  std::string config = ReadFile(SourceDir() + "/config/mosquitto.conf.in");
  if (config.empty()) throw std::runtime_error("config/mosquitto.conf.in not found");
  ReplaceAll(config, "@PORT@", std::to_string(port_));
  ReplaceAll(config, "@PERSISTENCE_DIR@", dir_);
  ReplaceAll(config, "@USER@", CurrentUser());
  std::ofstream(dir_ + "/mosquitto.conf") << config;
  process_ = std::make_unique<Process>("/usr/sbin/mosquitto", std::vector<std::string>{"-c", dir_ + "/mosquitto.conf"},
                                       std::map<std::string, std::string>{}, home_ + "/log/mosquitto.log");
}

void Broker::Start() {
  process_->Start();
  if (!Eventually([this] { return PortAccepts(port_); }, std::chrono::seconds(10))) {
    throw std::runtime_error("mosquitto did not open port " + std::to_string(port_) + ": " + process_->Log());
  }
}

void Broker::Kill() {
  process_->Kill();
}

void Broker::Stop() {
  process_->Terminate();
}

void Broker::WipePersistence() {
  std::error_code ignored;
  std::filesystem::remove(dir_ + "/mosquitto.db", ignored);
}

}  // namespace sagaflow::testing

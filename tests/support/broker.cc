#include "tests/support/broker.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "messaging/broker_accounts.h"
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

Broker::Broker(std::string home, int port, std::vector<messaging::BrokerAccount> accounts)
    : home_(std::move(home)), port_(port), dir_(home_ + "/mosquitto"), accounts_(std::move(accounts)) {
  std::filesystem::create_directories(dir_);
  std::filesystem::create_directories(home_ + "/log");
  std::string config = ReadFile(SourceDir() + "/config/mosquitto.conf.in");
  if (config.empty()) throw std::runtime_error("config/mosquitto.conf.in not found");
  ReplaceAll(config, "@PORT@", std::to_string(port_));
  ReplaceAll(config, "@PERSISTENCE_DIR@", dir_);
  ReplaceAll(config, "@USER@", CurrentUser());
  ReplaceAll(config, "@BROKER_PLUGIN@", BinDir() + "/sagaflow-broker-plugin.so");
  std::ofstream(dir_ + "/mosquitto.conf") << config;
  for (const auto& account : accounts_) EnsureSecret(account.name);
  process_ = std::make_unique<Process>("/usr/sbin/mosquitto", std::vector<std::string>{"-c", dir_ + "/mosquitto.conf"},
                                       std::map<std::string, std::string>{}, home_ + "/log/mosquitto.log");
}

std::string Broker::EnableTls(int tls_port) {
  const std::string tls = dir_ + "/tls";
  std::filesystem::create_directories(tls);
  const std::string make =
      "cd '" + tls +
      "' && "
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=sagaflow-test-ca -keyout ca.key -out ca.crt "
      "2>/dev/null && "
      "openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr 2>/dev/null && "
      "printf 'subjectAltName=IP:127.0.0.1\n' > san.ext && "
      "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext "
      "-out server.crt 2>/dev/null";
  if (std::system(make.c_str()) != 0) throw std::runtime_error("openssl could not make a test CA: " + make);  // NOLINT
  std::ofstream(dir_ + "/mosquitto.conf", std::ios::app)
      << "\nlistener " << tls_port << " 127.0.0.1\ncafile " << tls << "/ca.crt\ncertfile " << tls
      << "/server.crt\nkeyfile " << tls << "/server.key\n";
  return tls + "/ca.crt";
}

void Broker::AddTestAccount(const std::string& name, const std::string& acl) {
  test_accounts_[name] = acl;
  EnsureSecret(name);
}

void Broker::EnsureSecret(const std::string& account) {
  const std::string path = messaging::BrokerSecretPath(home_, account);
  if (std::filesystem::exists(path)) return;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << "test-secret-" << account << "-" << port_ << "\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace);
}

messaging::BrokerLogin Broker::Login(const std::string& account) const {
  auto login = messaging::ReadBrokerLogin(home_, account);
  if (!login.ok()) throw std::runtime_error(login.status().message());
  return *login;
}

void Broker::WriteAuthFiles() {
  std::vector<std::string> accounts;
  for (const auto& account : accounts_) accounts.push_back(account.name);
  for (const auto& [name, acl] : test_accounts_) accounts.push_back(name);
  std::string passwd;
  for (const auto& account : accounts) passwd += account + ":" + Login(account).password + "\n";
  std::ofstream(dir_ + "/passwd") << passwd;
  std::filesystem::permissions(dir_ + "/passwd",
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const std::string hash = "mosquitto_passwd -U '" + dir_ + "/passwd'";
  if (std::system(hash.c_str()) != 0) throw std::runtime_error("mosquitto_passwd failed: " + hash);  // NOLINT
  std::string acl = messaging::RenderMosquittoAcl(accounts_);
  for (const auto& [name, lines] : test_accounts_) acl += "\nuser " + name + "\n" + lines;
  std::ofstream(dir_ + "/acl") << acl;
}

void Broker::Start() {
  WriteAuthFiles();
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

#include "messaging/broker_login.h"

#include <sys/stat.h>

#include <fstream>

namespace sagaflow::messaging {

std::string BrokerSecretPath(const std::string& home, const std::string& account) {
  return home + "/secrets/mqtt/" + account;
}

Result<BrokerLogin> ReadBrokerLogin(const std::string& home, const std::string& account) {
  const std::string path = BrokerSecretPath(home, account);
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    return Status::NotFound("broker secret " + path +
                            " is missing (scripts/run creates it for the broker it starts; for SAGAFLOW_MQTT_URL "
                            "put the account's password there)");
  }
  // A secret others can read is no secret: refuse it, as ssh does, rather than use it.
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Status::FailedPrecondition("broker secret " + path + " has permissions for group or others (chmod 600 it)");
  }
  std::ifstream file(path);
  std::string password;
  if (!file || !std::getline(file, password)) {
    return Status::IoError("cannot read broker secret " + path);
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) return Status::InvalidArgument("broker secret " + path + " has an empty first line");
  return BrokerLogin{account, password};
}

}  // namespace sagaflow::messaging

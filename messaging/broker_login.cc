#include "messaging/broker_login.h"

#include "common/secret_file.h"

namespace sagaflow::messaging {

std::string BrokerSecretPath(const std::string& home, const std::string& account) {
  return home + "/secrets/mqtt/" + account;
}

Result<BrokerLogin> ReadBrokerLogin(const std::string& home, const std::string& account) {
  const std::string path = BrokerSecretPath(home, account);
  auto lines = ReadSecretLines(path);
  if (!lines.ok()) {
    if (!lines.status().IsNotFound()) return lines.status();
    return Status::NotFound("broker secret " + path +
                            " is missing (scripts/run creates it for the broker it starts; for SAGAFLOW_MQTT_URL "
                            "put the account's password there)");
  }
  return BrokerLogin{account, lines->front()};
}

}  // namespace sagaflow::messaging

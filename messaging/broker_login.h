// BrokerLogin: the user name and password a process connects to the broker with.
//
// Each account's password is the first line of <home>/secrets/mqtt/<account>, a secret file
// (common/secret_file.h: mode 0600): scripts/run creates it, the broker's password file is made from it,
// and the same file serves an external broker (SAGAFLOW_MQTT_URL). Errors name the file.
#pragma once

#include <string>

#include "common/status.h"

namespace sagaflow::messaging {

struct BrokerLogin {
  std::string username;
  std::string password;
};

std::string BrokerSecretPath(const std::string& home, const std::string& account);
Result<BrokerLogin> ReadBrokerLogin(const std::string& home, const std::string& account);

}  // namespace sagaflow::messaging

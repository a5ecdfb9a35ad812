// Redriver: an operator's redrive from the console, carried out by the orchestrator's admin endpoint
// (POST /admin/sagas/retry, the path sagactl retry takes) with the admin token, so that the orchestrator alone
// changes saga state and records the action in the saga's timeline. Each action is logged with who asked for it.
// Thread-safe: each call opens its own connection.
#pragma once

#include <string>

#include "common/logging.h"

namespace sagaflow::console {

struct RedriveResult {
  std::string saga_id;
  int status = 0;      // the orchestrator's HTTP status; 0 if it did not answer
  std::string answer;  // its result ("redriven", ...) or error text
  bool ok() const { return status == 200; }
};

class Redriver {
 public:
  Redriver(int orchestrator_port, std::string admin_token, Logger logger)
      : port_(orchestrator_port), admin_token_(std::move(admin_token)), logger_(std::move(logger)) {}

  RedriveResult Redrive(const std::string& saga_id) const;

 private:
  const int port_;
  const std::string admin_token_;
  const Logger logger_;
};

}  // namespace sagaflow::console

// Logger construction: one spdlog logger per process, one line per event, to stderr (scripts/run sends
// it to $SAGAFLOW_HOME/log/<name>.log). Loggers are passed explicitly; nothing uses spdlog's global
// registry. Messages about an order carry "orderId=<id>" so a grep follows one order across services.
#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "common/status.h"

namespace sagaflow {

using Logger = std::shared_ptr<spdlog::logger>;

// level: trace, debug, info, warn, error, critical, off.
Result<Logger> MakeLogger(const std::string& name, const std::string& level);
// A logger that drops everything, for unit tests.
Logger MakeNullLogger();

}  // namespace sagaflow

// Logger construction: one spdlog logger per process, one line per event, to stderr (scripts/run sends
// it to $SAGAFLOW_HOME/log/<name>.log). Loggers are passed explicitly; nothing uses spdlog's global
// registry. Messages about an order carry "orderId=<id>" so a grep follows one order across services.
// Every message is written through EscapeForTerminal (common/text.h): text that came from a client or
// another process cannot forge a second line or send escape sequences to whoever reads the log.
#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "common/status.h"

namespace sagaflow {

using Logger = std::shared_ptr<spdlog::logger>;

// level: trace, debug, info, warn, error, critical, off.
Result<Logger> MakeLogger(const std::string& name, const std::string& level);
// The line format of MakeLogger: "<UTC time> <level> [<name>] <escaped message>".
std::unique_ptr<spdlog::formatter> MakeLogFormatter();
// A logger that drops everything, for unit tests.
Logger MakeNullLogger();

}  // namespace sagaflow

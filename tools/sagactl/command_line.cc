#include "tools/sagactl/command_line.h"

#include <optional>
#include <string>

namespace sagaflow::sagactl {

namespace {

// Where the order service's port came from (the flag or the variable, as its error names it), and its text.
struct PortSetting {
  std::string source;
  std::string text;
};

// The variable's value, or nullptr if it is unset or empty.
const char* Setting(const EnvLookup& getenv, const char* name) {
  const char* value = getenv(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

// Applies argv[i], and its value if it takes one (advancing i). False for --help, which ends the parse.
bool ReadArgument(int argc, const char* const* argv, int& i, Invocation& invocation, std::optional<PortSetting>& port) {
  const std::string arg = argv[i];
  const auto value = [&]() -> std::string {
    if (i + 1 >= argc) throw Failure(2, arg + " needs a value");
    return argv[++i];
  };
  Context& context = invocation.context;
  CommandLine& command = invocation.command;
  if (arg == "--help" || arg == "-h") return false;
  if (arg == "--json") {
    context.json = true;
  } else if (arg == "--home") {
    context.home = value();
  } else if (arg == "--http-port") {
    port = PortSetting{"--http-port", value()};
  } else if (arg == "--stock-file") {
    context.stock_file = value();
  } else if (arg == "--state") {
    command.state = value();
  } else if (arg == "--older-than") {
    const std::string text = value();
    command.older_than = ParseDuration(text);
    if (!command.older_than) throw Failure(2, "--older-than takes a duration like 30s, 5m or 2h, not '" + text + "'");
  } else if (arg.rfind("--", 0) == 0) {
    throw Failure(2, "unknown flag " + arg + " (see sagactl --help)");
  } else if (command.name.empty()) {
    command.name = arg;
  } else {
    command.operands.push_back(arg);
  }
  return true;
}

int CheckedPort(const PortSetting& port) {
  auto parsed = ParsePort(port.text);
  if (!parsed) {
    throw Failure(
        2, port.source + " must be a port from 1 to 65534 (the orchestrator's is it + 1), not '" + port.text + "'");
  }
  return *parsed;
}

}  // namespace

Invocation ParseCommandLine(int argc, const char* const* argv, const EnvLookup& getenv) {
  Invocation invocation;
  Context& context = invocation.context;
  const char* home = Setting(getenv, "SAGAFLOW_HOME");
  context.home = home != nullptr ? home : "var";
  std::optional<PortSetting> port;
  if (const char* text = Setting(getenv, "SAGAFLOW_HTTP_PORT")) port = PortSetting{"SAGAFLOW_HTTP_PORT", text};
  const char* stock = Setting(getenv, "SAGAFLOW_STOCK_FILE");
  context.stock_file = stock != nullptr ? stock : "config/stock.json";
  for (int i = 1; i < argc; ++i) {
    if (!ReadArgument(argc, argv, i, invocation, port)) {
      invocation.help_requested = true;
      return invocation;
    }
  }
  if (port) context.http_port = CheckedPort(*port);
  return invocation;
}

const std::string& OneOrderId(const CommandLine& command_line) {
  if (command_line.operands.size() != 1) throw Failure(2, command_line.name + " takes one orderId");
  return command_line.operands.front();
}

}  // namespace sagaflow::sagactl

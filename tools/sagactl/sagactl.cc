#include "tools/sagactl/sagactl.h"

#include <array>
#include <exception>
#include <filesystem>
#include <string_view>

#include "common/clock.h"
#include "tools/sagactl/command_line.h"
#include "tools/sagactl/commands.h"

namespace sagaflow::sagactl {

namespace {

// Follows FlagSet's usage (the usage line and the flags) in --help.
constexpr const char* kCommandsHelp =
    "\ncommands:\n"
    "  status <orderId>                  everything about one order across all databases, and why it waits\n"
    "  list [--state S] [--older-than D]  sagas by state (D like 30s, 5m, 2h)\n"
    "  stuck [--older-than D]            non-terminal sagas with no pending timer, or not updated for D (60s);\n"
    "                                    and orders with no saga at all after D\n"
    "  retry <orderId>                   ask the orchestrator to re-drive a FAILED or stuck saga\n"
    "  verify                            check the contract's guarantees; exit 1 if any is violated\n"
    "  outbox                            unpublished outbox rows and the oldest age, per service\n"
    "  dlq                               dead-lettered messages, per service\n"
    "  definitions check FILE...         validate saga definition files offline (and that they can run together)\n"
    "  definitions list                  every definition version the orchestrator has run, and its running sagas\n";

struct NamedCommand {
  std::string_view name;
  Command run;
};

constexpr std::array<NamedCommand, 8> kCommands = {{{"status", StatusCommand},
                                                    {"list", ListCommand},
                                                    {"stuck", StuckCommand},
                                                    {"retry", RetryCommand},
                                                    {"verify", VerifyCommand},
                                                    {"outbox", OutboxCommand},
                                                    {"dlq", DeadLettersCommand},
                                                    {"definitions", DefinitionsCommand}}};

// Checking definition files reads nothing of a running system.
bool NeedsHome(const CommandLine& command) {
  return !(command.name == "definitions" && !command.operands.empty() && command.operands.front() == "check");
}

// The command of that name; Failure (exit 2) if there is none.
Command CommandNamed(const std::string& name) {
  for (const auto& command : kCommands) {
    if (command.name == name) return command.run;
  }
  throw Failure(2, "unknown command '" + name + "' (see sagactl --help)");
}

}  // namespace

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, const EnvLookup& getenv) {
  Invocation invocation;
  try {
    invocation = ParseCommandLine(argc, argv, getenv);
  } catch (const Failure& failure) {
    err << "sagactl: " << failure.what() << "\n";
    return failure.exit_code;
  }
  if (invocation.help_requested) {
    out << invocation.usage << kCommandsHelp;
    return 0;
  }
  if (invocation.command.name.empty()) {
    err << invocation.usage << kCommandsHelp;
    return 2;
  }
  Context& context = invocation.context;
  context.out = &out;
  context.now = SystemClock().Now();
  try {
    if (NeedsHome(invocation.command) && !std::filesystem::is_directory(context.home)) {
      throw Failure(2, "SAGAFLOW_HOME " + context.home + " does not exist (--home or SAGAFLOW_HOME chooses it)");
    }
    return CommandNamed(invocation.command.name)(context, invocation.command);
  } catch (const Failure& failure) {
    err << "sagactl: " << failure.what() << "\n";
    return failure.exit_code;
  } catch (const std::exception& e) {
    err << "sagactl: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace sagaflow::sagactl

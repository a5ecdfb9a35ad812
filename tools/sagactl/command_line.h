// sagactl's command line, read by common/flags.h's FlagSet: `sagactl [--flag value]... <command> [operand]...`, the
// flags anywhere among the words (before the command, after it, between its operands), as `--name value` or
// `--name=value`; the first word that is not a flag names the command and the others are its operands. Each flag
// takes effect as it is read, so the first bad one ends the parse. Environment variables give the defaults
// (SAGAFLOW_HOME, SAGAFLOW_HTTP_PORT, SAGAFLOW_STOCK_FILE) and the flags override them; the port is checked once all
// flags are read, so --http-port overrides a bad SAGAFLOW_HTTP_PORT and its error names whichever chose it.
// Internal to tools/sagactl.
#pragma once

#include <string>

#include "tools/sagactl/commands.h"
#include "tools/sagactl/context.h"
#include "tools/sagactl/sagactl.h"

namespace sagaflow::sagactl {

struct Invocation {
  bool help_requested = false;  // --help or -h, which ends the parse
  std::string usage;            // the usage line and every flag (FlagSet::Usage), without the commands
  Context context;              // all but out and now, which Run sets
  CommandLine command;
};

// Failure (exit 2) with a one-line reason for an unknown flag, a flag without its value, a bad duration or port.
Invocation ParseCommandLine(int argc, const char* const* argv, const EnvLookup& getenv);

}  // namespace sagaflow::sagactl

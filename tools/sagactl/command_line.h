// sagactl's command line: flags may stand anywhere among the words (before the command, after it, between its
// operands); each takes effect as it is read, so the first bad one ends the parse. Environment variables give the
// defaults (SAGAFLOW_HOME, SAGAFLOW_HTTP_PORT, SAGAFLOW_STOCK_FILE), the flags override them, and the port is
// checked once all flags are read, whichever of the two chose it. Not common/flags.h's FlagSet: that takes no
// command or operands among the flags, reads --flag=value, checks the variables before the flags, and words its
// errors and usage otherwise, and sagactl's command line stays as operators and scripts/sagactl know it.
// Internal to tools/sagactl.
#pragma once

#include "tools/sagactl/commands.h"
#include "tools/sagactl/context.h"
#include "tools/sagactl/sagactl.h"

namespace sagaflow::sagactl {

struct Invocation {
  bool help_requested = false;  // --help or -h, which ends the parse
  Context context;              // all but out and now, which Run sets
  CommandLine command;
};

// Failure (exit 2) with a one-line reason for an unknown flag, a flag without its value, a bad duration or port.
Invocation ParseCommandLine(int argc, const char* const* argv, const EnvLookup& getenv);

}  // namespace sagaflow::sagactl

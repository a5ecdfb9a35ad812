#include "tools/sagactl/command_line.h"

#include <string>
#include <vector>

#include "common/flags.h"
#include "common/status.h"

namespace sagaflow::sagactl {

namespace {

// Every flag of every command; `port_text` is checked after the parse (CheckedPort).
void DefineFlags(FlagSet& flags, Invocation& invocation, std::string& port_text) {
  Context& context = invocation.context;
  CommandLine& command = invocation.command;
  flags.AddString("home", "SAGAFLOW_HOME", "var", "the home whose data/*.db it reads", &context.home);
  flags.AddSwitch("json", "", "one JSON document on stdout instead of text tables", &context.json);
  flags.AddString("http-port", "SAGAFLOW_HTTP_PORT", std::to_string(context.http_port),
                  "the order service's port (1-65534); retry calls the orchestrator on it + 1", &port_text);
  flags.AddString("stock-file", "SAGAFLOW_STOCK_FILE", "config/stock.json",
                  "the initial stock that verify checks guarantee 3 against", &context.stock_file);
  flags.AddString("state", "", "", "list: only sagas in this state (empty: any)", &command.state);
  flags.AddParsed(
      "older-than", "", "list: any, stuck: 60s",
      "list, stuck: only sagas not updated for this long (30s, 5m, 2h, 1500ms)", [&command](const std::string& text) {
        command.older_than = ParseDuration(text);
        if (!command.older_than) {
          return Status::InvalidArgument("--older-than takes a duration like 30s, 5m or 2h, not '" + text + "'");
        }
        return Status::Ok();
      });
}

// The port `text` that `source` (--http-port or SAGAFLOW_HTTP_PORT) chose.
int CheckedPort(const std::string& source, const std::string& text) {
  auto parsed = ParsePort(text);
  if (!parsed) {
    throw Failure(2, source + " must be a port from 1 to 65534 (the orchestrator's is it + 1), not '" + text + "'");
  }
  return *parsed;
}

}  // namespace

Invocation ParseCommandLine(int argc, const char* const* argv, const EnvLookup& getenv) {
  Invocation invocation;
  std::string port_text;
  std::vector<std::string> words;
  FlagSet flags("sagactl",
                "Sees, checks and repairs sagas: reads <home>/data/*.db read-only; retry asks the "
                "orchestrator's admin endpoint.");
  DefineFlags(flags, invocation, port_text);
  flags.AllowPositional("<command> [operand]...", &words);
  Status parsed = flags.Parse(argc, argv, getenv);
  if (!parsed.ok()) throw Failure(2, parsed.message());
  invocation.usage = flags.Usage();
  if (flags.help_requested()) {
    invocation.help_requested = true;
    return invocation;
  }
  // The default (never wrong) is not checked, as before: only a port someone chose.
  if (const std::string source = flags.SourceOf("http-port"); !source.empty()) {
    invocation.context.http_port = CheckedPort(source, port_text);
  }
  if (!words.empty()) {
    invocation.command.name = words.front();
    invocation.command.operands.assign(words.begin() + 1, words.end());
  }
  return invocation;
}

const std::string& OneOrderId(const CommandLine& command_line) {
  if (command_line.operands.size() != 1) throw Failure(2, command_line.name + " takes one orderId");
  return command_line.operands.front();
}

}  // namespace sagaflow::sagactl

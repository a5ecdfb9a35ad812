// sagactl's commands, one file each (<name>_command.cc), all of one signature so that Run (sagactl.cc) dispatches
// them from one table. A command reads what it needs through `context` (read-only databases, the admin endpoint),
// writes its answer to *context.out (JSON with --json), returns its exit code (0, or 1 when the answer is "no")
// and throws Failure for any other ending. Adding a command: its file, its declaration here, its row in kCommands
// and its line in kCommandsHelp (both in sagactl.cc). Internal to tools/sagactl.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "tools/sagactl/context.h"

namespace sagaflow::sagactl {

// The command the line names, the words after it, and the flags only some commands read.
struct CommandLine {
  std::string name;                   // "status"; empty if the line names none
  std::vector<std::string> operands;  // the words after the name
  std::string state;                  // --state (list)
  std::optional<Millis> older_than;   // --older-than (list, stuck)
};

using Command = int (*)(const Context& context, const CommandLine& command_line);

// The one orderId that status and retry take; Failure (exit 2) unless there is exactly one.
const std::string& OneOrderId(const CommandLine& command_line);

// status <orderId>: everything about one order across the five databases, and why its saga waits.
int StatusCommand(const Context& context, const CommandLine& command_line);
// list [--state S] [--older-than D]: sagas by state and age of their last update.
int ListCommand(const Context& context, const CommandLine& command_line);
// stuck [--older-than D]: sagas nothing will move, and orders that never got a saga.
int StuckCommand(const Context& context, const CommandLine& command_line);
// retry <orderId>: asks the orchestrator's admin endpoint to re-drive the order's saga.
int RetryCommand(const Context& context, const CommandLine& command_line);
// verify: the contract's guarantees (tools/verify); exit 1 if any is violated.
int VerifyCommand(const Context& context, const CommandLine& command_line);
// outbox: unpublished rows and the oldest one's age, per service.
int OutboxCommand(const Context& context, const CommandLine& command_line);
// dlq: dead-lettered messages, per service.
int DeadLettersCommand(const Context& context, const CommandLine& command_line);
// definitions check FILE... | definitions list: saga definition files checked offline; the versions run.
int DefinitionsCommand(const Context& context, const CommandLine& command_line);

}  // namespace sagaflow::sagactl

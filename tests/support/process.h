// Process: a child process started with fork/exec for cross-process tests, killed with real signals.
//
// Output (stdout and stderr) is appended to a log file so a failing test can print it. The destructor
// kills (SIGKILL) and reaps the child if it is still running.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sagaflow::testing {

class Process {
 public:
  Process(std::string program, std::vector<std::string> args, std::map<std::string, std::string> env,
          std::string log_path);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  void Start();
  bool IsRunning();
  void Signal(int signal);
  // SIGKILL and reap.
  void Kill();
  // SIGTERM, wait up to `timeout`, then SIGKILL. Returns the exit status if it exited by itself.
  std::optional<int> Terminate(std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000));
  // Waits for the process to exit on its own; the exit code, or nullopt on timeout / death by signal.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }
  std::string Log() const;

 private:
  bool Reap(bool block);

  std::string program_;
  std::vector<std::string> args_;
  std::map<std::string, std::string> env_;
  std::string log_path_;
  pid_t pid_ = -1;
  int exit_status_ = -1;  // raw waitpid status once reaped
};

}  // namespace sagaflow::testing

// The processes of a running sagaflow, found through its pid files ($SAGAFLOW_HOME/run/<name>.pid, as
// scripts/run writes them): reading them, freezing and thawing a process (SIGSTOP/SIGCONT), kill -9, and
// starting a killed service again exactly as it was started (command line, environment, working
// directory, output appended to the same log, a new session, the pid file rewritten). Errors are values.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace sagaflow::bench {

// name -> pid for every <name>.pid under <home>/run except the foreground supervisor's.
std::map<std::string, pid_t> ReadPidFiles(const std::string& home);
std::string PidFilePath(const std::string& home, const std::string& name);

// The process exists and has not finished exiting (a zombie whose threads have all exited has).
bool IsAlive(pid_t pid);
// A foreground `scripts/run` (which restarts a service that dies) is running for `home`.
bool SupervisorRunning(const std::string& home);

// How a process was started, read from /proc while it runs.
struct LaunchSpec {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // NAME=value
  std::string cwd;
  std::string log_path;  // where its standard output went
};
Result<LaunchSpec> CaptureLaunch(pid_t pid);

// Starts `spec` in a new session with stdin from /dev/null and stdout and stderr appended to its log, as
// scripts/run does, and writes the new pid to `pid_file` (write .new, rename).
Result<pid_t> Relaunch(const LaunchSpec& spec, const std::string& pid_file);

// SIGKILL, then waits until the process is gone (or a zombie) or `timeout` passed.
Status KillHard(pid_t pid, std::chrono::milliseconds timeout);

// SIGSTOP on construction, SIGCONT on Thaw() or destruction, so that no path leaves a process frozen;
// until then SIGINT, SIGTERM and SIGHUP thaw them before ending this process. One Freeze at a time.
class Freeze {
 public:
  explicit Freeze(std::vector<pid_t> pids);
  ~Freeze() { Thaw(); }
  Freeze(const Freeze&) = delete;
  Freeze& operator=(const Freeze&) = delete;
  void Thaw();

 private:
  std::vector<pid_t> pids_;
};

}  // namespace sagaflow::bench

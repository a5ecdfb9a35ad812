#include "bench/process_control.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

namespace sagaflow::bench {

namespace {

// The NUL-separated strings of a /proc file (cmdline, environ).
std::vector<std::string> ReadNulSeparated(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> parts;
  for (std::string part; std::getline(in, part, '\0');) parts.push_back(part);
  return parts;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

}  // namespace

std::string PidFilePath(const std::string& home, const std::string& name) {
  return (std::filesystem::path(home) / "run" / (name + ".pid")).string();
}

std::map<std::string, pid_t> ReadPidFiles(const std::string& home) {
  std::map<std::string, pid_t> pids;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(home) / "run", error)) {
    if (entry.path().extension() != ".pid" || entry.path().stem() == "supervisor") continue;
    std::ifstream in(entry.path());
    pid_t pid = 0;
    if (in >> pid) pids[entry.path().stem().string()] = pid;
  }
  return pids;
}

bool IsAlive(pid_t pid) {
  if (pid <= 0) return false;
  const std::string proc = "/proc/" + std::to_string(pid);
  std::ifstream stat(proc + "/stat");
  std::string text;
  std::getline(stat, text);  // one line
  const size_t end_of_name = text.rfind(')');
  if (end_of_name == std::string::npos || end_of_name + 2 >= text.size()) return false;
  if (text[end_of_name + 2] != 'Z') return true;
  // The main thread of a killed process turns zombie while its other threads may still be exiting (one
  // inside an fsync, say), holding the process's descriptors -- its listening port among them. It is gone
  // only when the main thread is the last one left.
  std::error_code error;
  const auto threads =
      std::distance(std::filesystem::directory_iterator(proc + "/task", error), std::filesystem::directory_iterator());
  return !error && threads > 1;
}

bool SupervisorRunning(const std::string& home) {
  std::ifstream in(PidFilePath(home, "supervisor"));
  pid_t pid = 0;
  return in >> pid && IsAlive(pid);
}

Result<LaunchSpec> CaptureLaunch(pid_t pid) {
  const std::string proc = "/proc/" + std::to_string(pid);
  LaunchSpec spec;
  spec.argv = ReadNulSeparated(proc + "/cmdline");
  spec.env = ReadNulSeparated(proc + "/environ");
  std::error_code error;
  spec.cwd = std::filesystem::read_symlink(proc + "/cwd", error).string();
  if (spec.argv.empty() || error) return Status::NotFound("cannot read how process " + std::to_string(pid) + " ran");
  spec.log_path = std::filesystem::read_symlink(proc + "/fd/1", error).string();
  if (error || spec.log_path.empty() || spec.log_path[0] != '/') spec.log_path = "/dev/null";
  return spec;
}

Result<pid_t> Relaunch(const LaunchSpec& spec, const std::string& pid_file) {
  std::vector<std::string> argv = spec.argv, env = spec.env;
  std::vector<char*> argv_pointers = Pointers(argv), env_pointers = Pointers(env);
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, spec.log_path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  // Our sockets (the broker, HTTP) must not live on in the service.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  if (!spec.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, spec.cwd.c_str());
  pid_t pid = 0;
  const int error =
      posix_spawn(&pid, argv_pointers[0], &actions, &attributes, argv_pointers.data(), env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) return Status::IoError("cannot start " + spec.argv[0] + ": " + std::strerror(error));

  const std::string temporary = pid_file + ".new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << pid << "\n";
    if (!out.flush()) return Status::IoError("cannot write " + temporary);
  }
  std::error_code rename_error;
  std::filesystem::rename(temporary, pid_file, rename_error);
  if (rename_error) return Status::IoError("cannot write " + pid_file + ": " + rename_error.message());
  return pid;
}

Status KillHard(pid_t pid, std::chrono::milliseconds timeout) {
  if (kill(pid, SIGKILL) != 0) return Status::IoError("kill -9 " + std::to_string(pid) + ": " + std::strerror(errno));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (IsAlive(pid)) {
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::Unavailable("process " + std::to_string(pid) + " survived kill -9");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // polling /proc for the exit
  }
  return Status::Ok();
}

namespace {

// What is frozen now, for the signal handler below (a handler can reach nothing else).
constexpr size_t kMaxFrozen = 8;
std::atomic<pid_t> frozen_now[kMaxFrozen];
constexpr int kEndingSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction previous_actions[std::size(kEndingSignals)];

// Ctrl-C while processes are frozen must not leave them frozen: thaw them, then die of the signal.
void ThawAndDie(int signal_number) {
  for (auto& pid : frozen_now) {
    if (pid_t frozen = pid.exchange(0); frozen > 0) kill(frozen, SIGCONT);
  }
  ::signal(signal_number, SIG_DFL);
  raise(signal_number);
}

}  // namespace

Freeze::Freeze(std::vector<pid_t> pids) : pids_(std::move(pids)) {
  for (size_t i = 0; i < pids_.size() && i < kMaxFrozen; ++i) frozen_now[i] = pids_[i];
  struct sigaction action {};
  action.sa_handler = ThawAndDie;
  sigemptyset(&action.sa_mask);
  for (size_t i = 0; i < std::size(kEndingSignals); ++i) sigaction(kEndingSignals[i], &action, &previous_actions[i]);
  for (pid_t pid : pids_) kill(pid, SIGSTOP);
}

void Freeze::Thaw() {
  if (pids_.empty()) return;
  for (pid_t pid : pids_) kill(pid, SIGCONT);
  for (auto& pid : frozen_now) pid = 0;
  for (size_t i = 0; i < std::size(kEndingSignals); ++i) sigaction(kEndingSignals[i], &previous_actions[i], nullptr);
  pids_.clear();
}

}  // namespace sagaflow::bench

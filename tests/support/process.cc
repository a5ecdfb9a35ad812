#include "tests/support/process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <stdexcept>
#include <thread>

#include "tests/support/test_env.h"

extern char** environ;

namespace sagaflow::testing {

Process::Process(std::string program, std::vector<std::string> args, std::map<std::string, std::string> env,
                 std::string log_path)
    : program_(std::move(program)), args_(std::move(args)), env_(std::move(env)), log_path_(std::move(log_path)) {}

Process::~Process() {
  if (pid_ > 0) Kill();
}

void Process::Start() {
  if (pid_ > 0 && IsRunning()) throw std::logic_error(program_ + " is already running");
  std::vector<std::string> env_strings;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text = *entry;
    const std::string name = text.substr(0, text.find('='));
    if (env_.count(name) == 0 && name.rfind("SAGAFLOW_", 0) != 0) env_strings.push_back(text);
  }
  for (const auto& [name, value] : env_) env_strings.push_back(name + "=" + value);
  std::vector<char*> argv;
  argv.push_back(program_.data());
  for (auto& arg : args_) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    // Unblock everything the test runner may have blocked, so SIGTERM behaves as in production.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(program_.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  pid_ = pid;
  exit_status_ = -1;
}

bool Process::Reap(bool block) {
  if (pid_ <= 0) return true;
  int status = 0;
  const pid_t result = waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (result == pid_) {
    exit_status_ = status;
    pid_ = -1;
    return true;
  }
  return false;
}

bool Process::IsRunning() {
  return pid_ > 0 && !Reap(false);
}

void Process::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

void Process::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGCONT);  // a stopped process must still die
  kill(pid_, SIGKILL);
  Reap(true);
}

std::optional<int> Process::WaitExit(std::chrono::milliseconds timeout) {
  if (!Eventually([this] { return !IsRunning(); }, timeout)) return std::nullopt;
  if (WIFEXITED(exit_status_)) return WEXITSTATUS(exit_status_);
  return std::nullopt;
}

std::optional<int> Process::Terminate(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  kill(pid_, SIGTERM);
  auto code = WaitExit(timeout);
  if (pid_ > 0) Kill();
  return code;
}

std::string Process::Log() const {
  return ReadFile(log_path_);
}

}  // namespace sagaflow::testing

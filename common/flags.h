// FlagSet: command-line flags with environment-variable defaults, for every sagaflow binary.
//
// Precedence: --flag on the command line, then the environment variable, then the default. A flag
// that is unknown, malformed or out of range makes Parse return InvalidArgument with a one-line
// reason; main prints it and exits 2. `--help` makes Parse return Ok with help_requested() set.
// Not thread-safe; used once at start-up.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"

namespace sagaflow {

class FlagSet {
 public:
  using EnvLookup = std::function<const char*(const char*)>;

  FlagSet(std::string program, std::string summary);

  void AddString(std::string name, std::string env, std::string default_value, std::string help, std::string* target);
  void AddInt(std::string name, std::string env, int64_t default_value, int64_t min, int64_t max, std::string help,
              int64_t* target);
  // Choices restrict the accepted values (e.g. {"full", "normal"}).
  void AddChoice(std::string name, std::string env, std::string default_value, std::vector<std::string> choices,
                 std::string help, std::string* target);

  // A flag without a value: `--name` sets it; `--name=false` or the variable set to 0/false/no clears it.
  void AddSwitch(std::string name, std::string env, std::string help, bool* target);

  Status Parse(int argc, const char* const* argv, const EnvLookup& getenv);
  bool help_requested() const { return help_requested_; }
  std::string Usage() const;

 private:
  struct Flag {
    std::string name;
    std::string env;
    std::string default_text;
    std::string help;
    std::function<Status(const std::string&)> set;
    bool is_switch = false;
  };
  const Flag* Find(const std::string& name) const;

  std::string program_;
  std::string summary_;
  std::vector<Flag> flags_;
  bool help_requested_ = false;
};

}  // namespace sagaflow

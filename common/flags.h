// FlagSet: command-line flags with environment-variable defaults, for every sagaflow binary.
//
// The words are read left to right. `--name=value` and `--name value` (the next word, whatever it is) set a flag; a
// switch (AddSwitch) is `--name` or `--name=value` and never takes the next word. `--help` or `-h` ends the parse:
// Parse returns Ok with help_requested() set, whatever follows. Any other word that does not start with `--` is
// positional: an error unless AllowPositional was called, and then collected in order wherever it stands among the
// flags, so that a command-style tool reads `tool --json list --state FAILED extra`. Each flag takes effect as it is
// read: the last occurrence wins, and the first bad word ends the parse.
//
// Precedence: --flag on the command line, then the environment variable, then the default. The variables are read
// and checked before the first word, so a bad variable is an error even where a flag would override it; a caller
// that wants the flag to win over a bad variable takes the text (AddString) and checks it after Parse, naming
// SourceOf(name) in its error. A flag that is unknown, malformed or out of range makes Parse return InvalidArgument
// with a one-line reason (for a bad variable, prefixed with the variable's name); main prints it and exits 2.
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
  // Checks one value and stores it wherever the caller wants; a non-ok Status (whose message names the flag) is
  // Parse's answer.
  using ValueParser = std::function<Status(const std::string& value)>;

  FlagSet(std::string program, std::string summary);

  void AddString(std::string name, std::string env, std::string default_value, std::string help, std::string* target);
  void AddInt(std::string name, std::string env, int64_t default_value, int64_t min, int64_t max, std::string help,
              int64_t* target);
  // Choices restrict the accepted values (e.g. {"full", "normal"}).
  void AddChoice(std::string name, std::string env, std::string default_value, std::vector<std::string> choices,
                 std::string help, std::string* target);

  // A flag without a value: `--name` sets it; `--name=false` or the variable set to 0/false/no clears it.
  void AddSwitch(std::string name, std::string env, std::string help, bool* target);

  // A flag of a type FlagSet does not know (a duration, say): `parse` gets each value given, from the variable and
  // then from each occurrence on the command line. Nothing is called without one, so the caller sets the default
  // itself; `default_text` is only what Usage shows as the default.
  void AddParsed(std::string name, std::string env, std::string default_text, std::string help, ValueParser parse);

  // Accepts positional words (a command and its operands), appended to *target in the order given; `usage_name`
  // follows the flags on Usage's first line (e.g. "<command> [operand]...").
  void AllowPositional(std::string usage_name, std::vector<std::string>* target);

  Status Parse(int argc, const char* const* argv, const EnvLookup& getenv);
  bool help_requested() const { return help_requested_; }

  // Where the flag's value came from in the last Parse: "--name" if the command line set it, the variable's name if
  // the environment did, "" if neither did (the default) or there is no such flag.
  std::string SourceOf(const std::string& name) const;

  std::string Usage() const;

 private:
  struct Flag {
    std::string name;
    std::string env;
    std::string default_text;
    std::string help;
    std::function<Status(const std::string&)> set;
    bool is_switch = false;
    std::string source{};  // see SourceOf; `{}` lets the Add* functions' brace lists leave it out
  };
  Flag* Find(const std::string& name);
  Status ReadEnvironment(const EnvLookup& getenv);
  // Applies the flag word argv[i] ("--name" or "--name=value"), taking the next word as its value if it needs one.
  Status ReadFlag(int argc, const char* const* argv, int& i);

  std::string program_;
  std::string summary_;
  std::vector<Flag> flags_;
  std::string positional_usage_;
  std::vector<std::string>* positional_ = nullptr;  // null: positional words are an error
  bool help_requested_ = false;
};

}  // namespace sagaflow

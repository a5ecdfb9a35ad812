#include "common/flags.h"

#include <algorithm>
#include <charconv>

namespace sagaflow {

FlagSet::FlagSet(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

void FlagSet::AddString(std::string name, std::string env, std::string default_value, std::string help,
                        std::string* target) {
  *target = default_value;
  flags_.push_back(
      {std::move(name), std::move(env), std::move(default_value), std::move(help), [target](const std::string& value) {
         *target = value;
         return Status::Ok();
       }});
}

void FlagSet::AddInt(std::string name, std::string env, int64_t default_value, int64_t min, int64_t max,
                     std::string help, int64_t* target) {
  *target = default_value;
  const std::string flag_name = name;
  flags_.push_back({std::move(name), std::move(env), std::to_string(default_value), std::move(help),
                    [target, min, max, flag_name](const std::string& value) {
                      int64_t parsed = 0;
                      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
                      if (ec != std::errc() || ptr != value.data() + value.size()) {
                        return Status::InvalidArgument("--" + flag_name + " must be an integer, got '" + value + "'");
                      }
                      if (parsed < min || parsed > max) {
                        return Status::InvalidArgument("--" + flag_name + " must be between " + std::to_string(min) +
                                                       " and " + std::to_string(max) + ", got " + value);
                      }
                      *target = parsed;
                      return Status::Ok();
                    }});
}

void FlagSet::AddChoice(std::string name, std::string env, std::string default_value, std::vector<std::string> choices,
                        std::string help, std::string* target) {
  *target = default_value;
  std::string joined;
  for (const auto& choice : choices) joined += (joined.empty() ? "" : "|") + choice;
  const std::string flag_name = name;
  flags_.push_back({std::move(name), std::move(env), std::move(default_value), std::move(help) + " (" + joined + ")",
                    [target, choices = std::move(choices), joined, flag_name](const std::string& value) {
                      if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
                        return Status::InvalidArgument("--" + flag_name + " must be one of " + joined + ", got '" +
                                                       value + "'");
                      }
                      *target = value;
                      return Status::Ok();
                    }});
}

void FlagSet::AddSwitch(std::string name, std::string env, std::string help, bool* target) {
  *target = false;
  const std::string flag_name = name;
  flags_.push_back({std::move(name), std::move(env), "off", std::move(help),
                    [target, flag_name](const std::string& value) {
                      if (value == "1" || value == "true" || value == "yes") {
                        *target = true;
                      } else if (value == "0" || value == "false" || value == "no") {
                        *target = false;
                      } else {
                        return Status::InvalidArgument("--" + flag_name + " takes no value (or true/false), got '" +
                                                       value + "'");
                      }
                      return Status::Ok();
                    },
                    /*is_switch=*/true});
}

void FlagSet::AddParsed(std::string name, std::string env, std::string default_text, std::string help,
                        ValueParser parse) {
  flags_.push_back({std::move(name), std::move(env), std::move(default_text), std::move(help), std::move(parse)});
}

void FlagSet::AllowPositional(std::string usage_name, std::vector<std::string>* target) {
  target->clear();
  positional_usage_ = std::move(usage_name);
  positional_ = target;
}

FlagSet::Flag* FlagSet::Find(const std::string& name) {
  for (auto& flag : flags_) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

std::string FlagSet::SourceOf(const std::string& name) const {
  for (const auto& flag : flags_) {
    if (flag.name == name) return flag.source;
  }
  return "";
}

Status FlagSet::ReadEnvironment(const EnvLookup& getenv) {
  for (auto& flag : flags_) {
    if (flag.env.empty()) continue;
    const char* value = getenv(flag.env.c_str());
    if (value == nullptr || *value == '\0') continue;
    Status status = flag.set(value);
    if (!status.ok()) return Status::InvalidArgument(flag.env + ": " + status.message());
    flag.source = flag.env;
  }
  return Status::Ok();
}

Status FlagSet::ReadFlag(int argc, const char* const* argv, int& i) {
  std::string name = std::string(argv[i]).substr(2);
  std::string value;
  bool has_value = false;
  if (auto eq = name.find('='); eq != std::string::npos) {
    value = name.substr(eq + 1);
    name = name.substr(0, eq);
    has_value = true;
  }
  Flag* flag = Find(name);
  if (flag == nullptr) return Status::InvalidArgument("unknown flag --" + name + " (see --help)");
  if (!has_value && flag->is_switch) {
    value = "true";
  } else if (!has_value) {
    if (i + 1 >= argc) return Status::InvalidArgument("flag --" + name + " needs a value");
    value = argv[++i];
  }
  Status status = flag->set(value);
  if (!status.ok()) return status;
  flag->source = "--" + name;
  return Status::Ok();
}

Status FlagSet::Parse(int argc, const char* const* argv, const EnvLookup& getenv) {
  if (Status status = ReadEnvironment(getenv); !status.ok()) return status;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help_requested_ = true;
      return Status::Ok();
    }
    if (arg.rfind("--", 0) == 0) {
      if (Status status = ReadFlag(argc, argv, i); !status.ok()) return status;
    } else if (positional_ != nullptr) {
      positional_->push_back(arg);
    } else {
      return Status::InvalidArgument("unexpected argument '" + arg + "' (see --help)");
    }
  }
  return Status::Ok();
}

std::string FlagSet::Usage() const {
  std::string out = "usage: " + program_ + " [--flag value]...";
  if (positional_ != nullptr) out += " " + positional_usage_;
  out += "\n" + summary_ + "\n\nflags:\n";
  for (const auto& flag : flags_) {
    out += "  --" + flag.name + "  " + flag.help + " [default: " + flag.default_text + "]";
    if (!flag.env.empty()) out += " (env " + flag.env + ")";
    out += "\n";
  }
  return out;
}

}  // namespace sagaflow

#include "common/flags.h"

#include <charconv>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace sagaflow {
namespace {

// A fake environment, so no test reads or changes the real one.
class FakeEnv {
 public:
  FakeEnv() = default;
  FakeEnv(std::initializer_list<std::pair<const std::string, std::string>> vars) : vars_(vars) {}
  FlagSet::EnvLookup Lookup() const {
    return [this](const char* name) -> const char* {
      auto it = vars_.find(name);
      return it == vars_.end() ? nullptr : it->second.c_str();
    };
  }

 private:
  std::map<std::string, std::string> vars_;
};

struct Parsed {
  Status status;
  std::string host;
  int64_t port = 0;
  std::string durability;
  bool help = false;
};

Parsed Parse(std::vector<const char*> args, const FakeEnv& env = {}) {
  Parsed out;
  FlagSet flags("order-service", "Serves the order API.");
  flags.AddString("host", "SAGAFLOW_HOST", "127.0.0.1", "address to listen on", &out.host);
  flags.AddInt("port", "SAGAFLOW_PORT", 3000, 1, 65535, "HTTP port", &out.port);
  flags.AddChoice("durability", "SAGAFLOW_DURABILITY", "full", {"full", "normal"}, "SQLite synchronous mode",
                  &out.durability);
  args.insert(args.begin(), "order-service");
  out.status = flags.Parse(static_cast<int>(args.size()), args.data(), env.Lookup());
  out.help = flags.help_requested();
  return out;
}

struct SwitchParsed {
  Status status;
  bool insecure = true;  // AddSwitch must reset it
  std::string host;
};

SwitchParsed ParseSwitch(std::vector<const char*> args, const FakeEnv& env = {}) {
  SwitchParsed out;
  FlagSet flags("order-service", "Serves the order API.");
  flags.AddSwitch("insecure", "SAGAFLOW_INSECURE", "serve without API keys", &out.insecure);
  flags.AddString("host", "", "127.0.0.1", "address", &out.host);
  args.insert(args.begin(), "order-service");
  out.status = flags.Parse(static_cast<int>(args.size()), args.data(), env.Lookup());
  return out;
}

TEST(FlagSet, ASwitchIsOffUnlessNamedAndTakesNoValue) {
  EXPECT_FALSE(ParseSwitch({}).insecure);
  const SwitchParsed on = ParseSwitch({"--insecure", "--host", "0.0.0.0"});
  ASSERT_TRUE(on.status.ok()) << on.status.ToString();
  EXPECT_TRUE(on.insecure);
  EXPECT_EQ(on.host, "0.0.0.0") << "the next argument is not taken as the switch's value";
  EXPECT_FALSE(ParseSwitch({"--insecure=false"}, FakeEnv({{"SAGAFLOW_INSECURE", "1"}})).insecure);
  EXPECT_TRUE(ParseSwitch({}, FakeEnv({{"SAGAFLOW_INSECURE", "yes"}})).insecure);
  const SwitchParsed bad = ParseSwitch({"--insecure=maybe"});
  EXPECT_TRUE(bad.status.IsInvalidArgument());
  EXPECT_NE(bad.status.message().find("--insecure"), std::string::npos);
}

TEST(FlagSet, UsesDefaultsWithoutFlagsOrEnvironment) {
  const Parsed p = Parse({});
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_EQ(p.host, "127.0.0.1");
  EXPECT_EQ(p.port, 3000);
  EXPECT_EQ(p.durability, "full");
  EXPECT_FALSE(p.help);
}

TEST(FlagSet, EnvironmentOverridesTheDefault) {
  const Parsed p = Parse({}, FakeEnv({{"SAGAFLOW_PORT", "4000"}, {"SAGAFLOW_DURABILITY", "normal"}}));
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_EQ(p.port, 4000);
  EXPECT_EQ(p.durability, "normal");
  EXPECT_EQ(p.host, "127.0.0.1");
}

TEST(FlagSet, EmptyEnvironmentVariableKeepsTheDefault) {
  const Parsed p = Parse({}, FakeEnv({{"SAGAFLOW_PORT", ""}}));
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_EQ(p.port, 3000);
}

TEST(FlagSet, FlagOverridesTheEnvironment) {
  const Parsed p = Parse({"--port", "5000"}, FakeEnv({{"SAGAFLOW_PORT", "4000"}}));
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_EQ(p.port, 5000);
}

TEST(FlagSet, AcceptsEqualsAndSeparateValueForms) {
  const Parsed p = Parse({"--host=0.0.0.0", "--port", "8080", "--durability=normal"});
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_EQ(p.host, "0.0.0.0");
  EXPECT_EQ(p.port, 8080);
  EXPECT_EQ(p.durability, "normal");
}

TEST(FlagSet, ValueMayContainEquals) {
  const Parsed p = Parse({"--host=a=b"});
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_EQ(p.host, "a=b");
}

TEST(FlagSet, LastOccurrenceWins) {
  const Parsed p = Parse({"--port=1", "--port=2"});
  ASSERT_TRUE(p.status.ok());
  EXPECT_EQ(p.port, 2);
}

TEST(FlagSet, RejectsUnknownFlag) {
  const Parsed p = Parse({"--prot=1"});
  ASSERT_TRUE(p.status.IsInvalidArgument());
  EXPECT_EQ(p.status.message(), "unknown flag --prot (see --help)");
}

TEST(FlagSet, RejectsPositionalArgument) {
  const Parsed p = Parse({"port"});
  ASSERT_TRUE(p.status.IsInvalidArgument());
  EXPECT_NE(p.status.message().find("unexpected argument 'port'"), std::string::npos);
}

TEST(FlagSet, RejectsMissingValue) {
  const Parsed p = Parse({"--port"});
  ASSERT_TRUE(p.status.IsInvalidArgument());
  EXPECT_EQ(p.status.message(), "flag --port needs a value");
}

TEST(FlagSet, RejectsBadInteger) {
  for (const char* value : {"--port=abc", "--port=80x", "--port=", "--port=8.0", "--port= 80"}) {
    const Parsed p = Parse({value});
    ASSERT_TRUE(p.status.IsInvalidArgument()) << value;
    EXPECT_NE(p.status.message().find("--port must be an integer"), std::string::npos) << p.status.message();
  }
}

TEST(FlagSet, RejectsIntegerOutOfRange) {
  for (const char* value : {"--port=0", "--port=65536", "--port=-1", "--port=99999999999999999999"}) {
    const Parsed p = Parse({value});
    ASSERT_TRUE(p.status.IsInvalidArgument()) << value;
  }
  const Parsed p = Parse({"--port=65536"});
  EXPECT_EQ(p.status.message(), "--port must be between 1 and 65535, got 65536");
  EXPECT_TRUE(Parse({"--port=1"}).status.ok());
  EXPECT_TRUE(Parse({"--port=65535"}).status.ok());
}

TEST(FlagSet, RejectsBadEnvironmentValueNamingTheVariable) {
  const Parsed p = Parse({}, FakeEnv({{"SAGAFLOW_PORT", "http"}}));
  ASSERT_TRUE(p.status.IsInvalidArgument());
  EXPECT_EQ(p.status.message().rfind("SAGAFLOW_PORT: ", 0), 0U) << p.status.message();
}

TEST(FlagSet, RestrictsChoices) {
  const Parsed p = Parse({"--durability", "off"});
  ASSERT_TRUE(p.status.IsInvalidArgument());
  EXPECT_EQ(p.status.message(), "--durability must be one of full|normal, got 'off'");
}

TEST(FlagSet, HelpStopsParsingAndIsNotAnError) {
  for (const char* help : {"--help", "-h"}) {
    const Parsed p = Parse({help, "--unknown"});
    EXPECT_TRUE(p.status.ok()) << help;
    EXPECT_TRUE(p.help) << help;
  }
}

// A command-style tool: a command and its operands among the flags.
struct CommandParsed {
  Status status;
  std::vector<std::string> words = {"left over"};  // AllowPositional must clear it
  bool json = false;
  std::string state;
  int64_t limit = 0;
  bool help = false;
};

CommandParsed ParseCommand(std::vector<const char*> args, const FakeEnv& env = {}) {
  CommandParsed out;
  FlagSet flags("sagactl", "Sees sagas.");
  flags.AddSwitch("json", "", "JSON output", &out.json);
  flags.AddString("state", "", "", "only this state", &out.state);
  flags.AddInt("limit", "SAGAFLOW_LIMIT", 10, 1, 100, "rows", &out.limit);
  flags.AllowPositional("<command> [operand]...", &out.words);
  args.insert(args.begin(), "sagactl");
  out.status = flags.Parse(static_cast<int>(args.size()), args.data(), env.Lookup());
  out.help = flags.help_requested();
  return out;
}

TEST(FlagSet, AllowPositionalCollectsWordsInOrderAmongTheFlags) {
  const CommandParsed p = ParseCommand({"--json", "list", "--state", "FAILED", "a", "--limit=5", "-", "-x", "b"});
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_EQ(p.words, (std::vector<std::string>{"list", "a", "-", "-x", "b"}))
      << "a flag's separate value is not a positional word, and a single-dash word is one";
  EXPECT_TRUE(p.json);
  EXPECT_EQ(p.state, "FAILED");
  EXPECT_EQ(p.limit, 5);
}

TEST(FlagSet, AllowPositionalWithoutWordsLeavesThemEmpty) {
  const CommandParsed p = ParseCommand({"--json"});
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.words.empty());
}

TEST(FlagSet, ASwitchNeverTakesTheNextPositionalWord) {
  const CommandParsed p = ParseCommand({"--json", "verify"});
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_TRUE(p.json);
  EXPECT_EQ(p.words, std::vector<std::string>{"verify"});
}

TEST(FlagSet, ASeparateValueIsTheNextWordEvenIfItLooksLikeAFlag) {
  const CommandParsed p = ParseCommand({"list", "--state", "--json"});
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_EQ(p.state, "--json");
  EXPECT_FALSE(p.json);
}

TEST(FlagSet, AllowPositionalStillRejectsBadFlagsAmongTheWords) {
  const CommandParsed unknown = ParseCommand({"list", "--frob", "a"});
  ASSERT_TRUE(unknown.status.IsInvalidArgument());
  EXPECT_EQ(unknown.status.message(), "unknown flag --frob (see --help)");
  const CommandParsed missing = ParseCommand({"list", "--state"});
  ASSERT_TRUE(missing.status.IsInvalidArgument());
  EXPECT_EQ(missing.status.message(), "flag --state needs a value");
  const CommandParsed range = ParseCommand({"list", "--limit", "0"});
  ASSERT_TRUE(range.status.IsInvalidArgument());
  EXPECT_EQ(range.status.message(), "--limit must be between 1 and 100, got 0");
}

TEST(FlagSet, HelpAmongPositionalWordsStopsTheParse) {
  for (const char* help : {"--help", "-h"}) {
    const CommandParsed p = ParseCommand({"status", help, "--frob"});
    EXPECT_TRUE(p.status.ok()) << help;
    EXPECT_TRUE(p.help) << help;
  }
}

TEST(FlagSet, UsageNamesThePositionalWords) {
  std::vector<std::string> words;
  FlagSet flags("sagactl", "Sees sagas.");
  EXPECT_EQ(flags.Usage().rfind("usage: sagactl [--flag value]...\n", 0), 0U) << flags.Usage();
  flags.AllowPositional("<command> [operand]...", &words);
  EXPECT_EQ(flags.Usage().rfind("usage: sagactl [--flag value]... <command> [operand]...\nSees sagas.\n", 0), 0U)
      << flags.Usage();
}

// A flag of the caller's own type: an even number, as sagactl reads a duration.
struct EvenParsed {
  Status status;
  int64_t even = -1;  // the caller's own default
  std::vector<std::string> seen;
  std::string usage;
};

EvenParsed ParseEven(std::vector<const char*> args, const FakeEnv& env = {}) {
  EvenParsed out;
  FlagSet flags("tool", "Reads an even number.");
  flags.AddParsed("even", "SAGAFLOW_EVEN", "none", "an even number", [&out](const std::string& value) {
    out.seen.push_back(value);
    int64_t parsed = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (ec != std::errc() || ptr != value.data() + value.size() || parsed % 2 != 0) {
      return Status::InvalidArgument("--even takes an even number, not '" + value + "'");
    }
    out.even = parsed;
    return Status::Ok();
  });
  args.insert(args.begin(), "tool");
  out.status = flags.Parse(static_cast<int>(args.size()), args.data(), env.Lookup());
  out.usage = flags.Usage();
  return out;
}

TEST(FlagSet, AddParsedHandsEachValueToTheCallersParser) {
  const EvenParsed none = ParseEven({});
  ASSERT_TRUE(none.status.ok()) << none.status.ToString();
  EXPECT_EQ(none.even, -1) << "without a value the parser is not called and the caller's default stays";
  EXPECT_TRUE(none.seen.empty());

  const EvenParsed both = ParseEven({"--even", "4", "--even=6"}, FakeEnv({{"SAGAFLOW_EVEN", "2"}}));
  ASSERT_TRUE(both.status.ok()) << both.status.ToString();
  EXPECT_EQ(both.seen, (std::vector<std::string>{"2", "4", "6"})) << "the variable first, then each flag in order";
  EXPECT_EQ(both.even, 6);
}

TEST(FlagSet, AddParsedReturnsTheParsersErrorAndNamesABadVariable) {
  const EvenParsed flag = ParseEven({"--even", "3"});
  ASSERT_TRUE(flag.status.IsInvalidArgument());
  EXPECT_EQ(flag.status.message(), "--even takes an even number, not '3'");
  const EvenParsed env = ParseEven({}, FakeEnv({{"SAGAFLOW_EVEN", "x"}}));
  ASSERT_TRUE(env.status.IsInvalidArgument());
  EXPECT_EQ(env.status.message(), "SAGAFLOW_EVEN: --even takes an even number, not 'x'");
}

TEST(FlagSet, AddParsedShowsItsDefaultTextInUsage) {
  EXPECT_NE(ParseEven({}).usage.find("--even  an even number [default: none] (env SAGAFLOW_EVEN)\n"), std::string::npos)
      << ParseEven({}).usage;
}

TEST(FlagSet, SourceOfSaysWhetherTheFlagTheVariableOrTheDefaultChose) {
  std::string host;
  int64_t port = 0;
  FlagSet flags("order-service", "Serves the order API.");
  flags.AddString("host", "SAGAFLOW_HOST", "127.0.0.1", "address", &host);
  flags.AddInt("port", "SAGAFLOW_PORT", 3000, 1, 65535, "HTTP port", &port);
  std::string limit;
  flags.AddString("limit", "SAGAFLOW_LIMIT", "10", "rows", &limit);
  const std::vector<const char*> args = {"order-service", "--port=4000"};
  const FakeEnv env({{"SAGAFLOW_PORT", "5000"}, {"SAGAFLOW_LIMIT", "20"}});
  ASSERT_TRUE(flags.Parse(static_cast<int>(args.size()), args.data(), env.Lookup()).ok());
  EXPECT_EQ(flags.SourceOf("port"), "--port") << "the flag overrides the variable";
  EXPECT_EQ(flags.SourceOf("limit"), "SAGAFLOW_LIMIT");
  EXPECT_EQ(flags.SourceOf("host"), "");
  EXPECT_EQ(flags.SourceOf("no-such-flag"), "");
}

TEST(FlagSet, AStringFlagOverridesABadVariableForACallerThatChecksAfterParse) {
  std::string port_text;
  FlagSet flags("tool", "Checks its port itself.");
  flags.AddString("port", "SAGAFLOW_PORT", "5000", "port", &port_text);
  const std::vector<const char*> args = {"tool", "--port", "6000"};
  const FakeEnv env({{"SAGAFLOW_PORT", "http"}});
  ASSERT_TRUE(flags.Parse(static_cast<int>(args.size()), args.data(), env.Lookup()).ok());
  EXPECT_EQ(port_text, "6000");
  EXPECT_EQ(flags.SourceOf("port"), "--port");
}

TEST(FlagSet, UsageListsFlagsDefaultsEnvironmentAndChoices) {
  std::string host;
  int64_t port = 0;
  std::string durability;
  FlagSet flags("order-service", "Serves the order API.");
  flags.AddString("host", "SAGAFLOW_HOST", "127.0.0.1", "address to listen on", &host);
  flags.AddInt("port", "", 3000, 1, 65535, "HTTP port", &port);
  flags.AddChoice("durability", "SAGAFLOW_DURABILITY", "full", {"full", "normal"}, "SQLite mode", &durability);
  const std::string usage = flags.Usage();
  EXPECT_EQ(usage.rfind("usage: order-service", 0), 0U) << usage;
  EXPECT_NE(usage.find("Serves the order API."), std::string::npos);
  EXPECT_NE(usage.find("--host  address to listen on [default: 127.0.0.1] (env SAGAFLOW_HOST)\n"), std::string::npos)
      << usage;
  EXPECT_NE(usage.find("--port  HTTP port [default: 3000]\n"), std::string::npos) << usage;
  EXPECT_NE(usage.find("--durability  SQLite mode (full|normal) [default: full]"), std::string::npos) << usage;
}

}  // namespace
}  // namespace sagaflow

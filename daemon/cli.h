// Command-line parsing for the migration-monitor binary. Pure; throws
// UsageError naming the bad argument.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace migmon::app {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Command {
  enum class Verb { kServe, kCheckConfig, kPrintMetricsDoc, kHelp, kVersion };
  Verb verb = Verb::kHelp;
  std::string config_path;
  std::optional<std::string> kubevirt_path;
  std::optional<std::string> listen;  // overrides the config's listen
  std::string log_level = "info";
  bool dry_run = false;   // serve --dry-run: enforcement observes only
  bool insecure = false;  // --insecure: API on a non-loopback address without both token and TLS
};

Command ParseCommandLine(const std::vector<std::string>& args);  // args without argv[0]

// One argument as a flag and its inline value: "--x=1" is ("--x", "1").
struct Flag {
  std::string name;
  std::optional<std::string> value;
};
Flag SplitFlag(const std::string& arg);
// The flag's value: the inline one, or the next argument (moving i past it);
// UsageError naming the flag when there is none.
std::string FlagValue(const Flag& flag, const std::vector<std::string>& args, size_t& i);
std::string HelpText();

}  // namespace migmon::app

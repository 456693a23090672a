// The command lines of the trace tools: replay and explain. Pure; throws
// UsageError (daemon/cli.h) naming the bad argument.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "daemon/cli.h"
#include "daemon/trace_steps.h"
#include "enforcer/policy.h"

namespace migmon::app {

struct TraceCommand {
  enum class Verb { kReplay, kExplain, kHelp };
  enum class Output { kTable, kJsonl };
  Verb verb = Verb::kHelp;
  enforcer::Policy policy;     // progressTimeout and completionTimeoutPerGiB from the flags
  TraceOptions options;
  Output output = Output::kTable;
  bool compare = false;        // replay --compare: the anchors' rules too
  // explain NAME: where the monitor keeps its traces (dataDir/traces).
  std::string data_dir = "/var/lib/migration-monitor";
  std::vector<std::string> traces;
};

bool IsTraceVerb(std::string_view word);  // replay, explain
TraceCommand ParseTraceCommandLine(const std::vector<std::string>& args);  // args[0] is the verb
std::string TraceHelpText();

}  // namespace migmon::app

#include "daemon/trace_cli.h"

#include <iostream>

#include "daemon/replay_report.h"
#include "daemon/trace_args.h"
#include "trace/reader.h"

namespace migmon::app {

int RunTraceCommand(const std::vector<std::string>& args) {
  TraceCommand cmd;
  try {
    cmd = ParseTraceCommandLine(args);
  } catch (const UsageError& e) {
    std::cerr << "migration-monitor: " << e.what() << "\n";
    return 2;
  }
  if (cmd.verb == TraceCommand::Verb::kHelp) {
    std::cout << TraceHelpText();
    return 0;
  }
  int status = 0;
  for (const std::string& path : cmd.traces) {
    try {
      const trace::Trace trace = trace::ReadTraceFile(path);
      const TraceRun run = StepsOf(trace, cmd.options);
      const auto result = enforcer::Replay(run.steps, cmd.policy, run.memory_bytes);
      const ReplayReport report{path, run, result, static_cast<double>(cmd.policy.progress_timeout_seconds),
                                cmd.compare};
      if (cmd.output == TraceCommand::Output::kJsonl) {
        std::cout << ReplayJsonl(report, cmd.traces.size() > 1);
      } else {
        std::cout << (cmd.verb == TraceCommand::Verb::kExplain ? Explain(report) : ReplayTable(report));
      }
    } catch (const trace::TraceError& e) {
      std::cerr << "migration-monitor: " << e.what() << "\n";
      status = 1;  // the other traces are still replayed
    }
  }
  return status;
}

}  // namespace migmon::app

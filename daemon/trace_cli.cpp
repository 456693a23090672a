#include "daemon/trace_cli.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "daemon/replay_report.h"
#include "daemon/trace_args.h"
#include "trace/reader.h"

namespace migmon::app {

namespace {

// explain NAME: the newest of the monitor's traces whose meta names NAME as
// its VMI ("name" or "namespace/name") or its domain; the argument itself
// when it is a file.
std::string ResolveTrace(const std::string& arg, const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(arg, ec)) return arg;
  const fs::path folder = fs::path(data_dir) / "traces";
  std::string best;
  fs::file_time_type newest{};
  for (const auto& e : fs::directory_iterator(folder, ec)) {
    if (e.path().extension() != ".jsonl") continue;
    std::ifstream in(e.path());
    std::string line;
    if (!std::getline(in, line)) continue;
    const auto meta = nlohmann::json::parse(line, nullptr, false);
    if (!meta.is_object() || meta.value("kind", "") != "meta") continue;
    const std::string vmi = meta.value("vmi", "");
    const std::string ns = meta.value("namespace", "");
    const std::string domain = meta.contains("domain") && meta["domain"].is_object() ? meta["domain"].value("name", "") : "";
    if (arg != vmi && arg != ns + "/" + vmi && arg != domain) continue;
    if (best.empty() || e.last_write_time() > newest) {
      best = e.path().string();
      newest = e.last_write_time();
    }
  }
  if (best.empty()) {
    throw trace::TraceError(arg + ": no such file, and no trace of a migration of that name in " + folder.string());
  }
  return best;
}

}  // namespace

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
      const std::string file = cmd.verb == TraceCommand::Verb::kExplain ? ResolveTrace(path, cmd.data_dir) : path;
      const trace::Trace trace = trace::ReadTraceFile(file);
      const TraceRun run = StepsOf(trace, cmd.options);
      const auto result = enforcer::Replay(run.steps, cmd.policy, run.memory_bytes);
      const ReplayReport report{file, run, result, static_cast<double>(cmd.policy.progress_timeout_seconds),
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

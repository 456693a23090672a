#include "daemon/trace_args.h"

#include <chrono>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "config/duration.h"
#include "config/quantity.h"

namespace migmon::app {
namespace {

// Whole seconds >= 0, as KubeVirt's progressTimeout and completionTimeoutPerGiB.
int64_t Seconds(const std::string& flag, const std::string& text) {
  size_t used = 0;
  long long v = -1;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || v < 0) throw UsageError(flag + ": \"" + text + "\" is not a whole number of seconds >= 0");
  return v;
}

}  // namespace

bool IsTraceVerb(std::string_view word) { return word == "replay" || word == "explain"; }

std::string TraceHelpText() {
  return R"(Trace tools (docs/traces.md): what the enforcer and the model make of a recorded migration.

  migration-monitor replay [flags] TRACE...
      Run each trace through the enforcer's rule and the model as the monitor would have,
      and say what it would have done and when.
  migration-monitor explain [flags] TRACE | NAME
      The migration's passes (start level, length, sent and dirtied rates), its
      predictions over time, and each decision with its reason. NAME (a VMI, "ns/name",
      or a domain) explains its latest migration from the monitor's traces, also after
      the migration object is gone.

  migration-monitor record URI DOMAIN [-o FILE] [--poll DURATION]
      Write the trace of DOMAIN's next (or current) outgoing migration on the node at URI
      (default FILE: DOMAIN.jsonl, poll 500ms), until it ends or Ctrl-C.

A TRACE is a monitor's recording (dataDir/traces/, one file per migration), one written by
`record` or the lab, or a bare trace: one virDomainGetJobStats object a line, libvirt's names
and units.

Flags:
  --progress-timeout S           seconds without progress before an abort (default 150; 0: off)
  --completion-timeout-per-gib S seconds allowed per GiB of memory and copied disk (default 800; 0: off)
  --memory QUANTITY              the guest's memory (e.g. 48Mi); needed when the trace does not say
  --bandwidth QUANTITY           the migration's speed limit per second (e.g. 4Mi); wins over the trace
  --max-downtime DURATION        the allowed downtime (e.g. 300ms; default: the trace's, else QEMU's 300ms)
  --events seen|none             seen (default): passes start at their iteration events (recorded, or
                                 the first sample of each new iteration); none: from the polls alone
  -o table|jsonl                 table (default), or one JSON object per input sample
  --compare                      replay: also where the anchors' rules would have fired
  --data-dir DIR                 explain NAME: the monitor's dataDir (default /var/lib/migration-monitor)
)";
}

TraceCommand ParseTraceCommandLine(const std::vector<std::string>& args) {
  TraceCommand cmd;
  if (args.empty() || !IsTraceVerb(args[0])) throw UsageError("expected replay or explain");
  const std::string& verb = args[0];
  cmd.verb = verb == "replay" ? TraceCommand::Verb::kReplay : TraceCommand::Verb::kExplain;
  cmd.policy.progress_timeout_seconds = 150;
  cmd.policy.completion_timeout_per_gib_seconds = 800;
  for (size_t i = 1; i < args.size(); ++i) {
    const Flag parsed = SplitFlag(args[i]);
    const std::string& flag = parsed.name;
    const std::optional<std::string>& value = parsed.value;
    auto take = [&] { return FlagValue(parsed, args, i); };
    auto quantity = [&](const std::string& text) {
      try {
        const uint64_t q = config::ParseQuantity(text);
        if (q == 0) throw std::invalid_argument("\"" + text + "\" is zero");
        return q;
      } catch (const std::invalid_argument& e) {
        throw UsageError(flag + ": " + e.what());
      }
    };
    if (flag == "--help" || flag == "-h") {
      cmd.verb = TraceCommand::Verb::kHelp;
      return cmd;
    } else if (flag == "--progress-timeout") {
      cmd.policy.progress_timeout_seconds = Seconds(flag, take());
    } else if (flag == "--completion-timeout-per-gib") {
      cmd.policy.completion_timeout_per_gib_seconds = Seconds(flag, take());
    } else if (flag == "--memory") {
      cmd.options.memory_bytes = quantity(take());
    } else if (flag == "--bandwidth") {
      cmd.options.bandwidth_bytes_per_second = static_cast<double>(quantity(take()));
    } else if (flag == "--max-downtime") {
      const std::string text = take();
      try {
        const auto d = config::ParseDuration(text);
        if (d.count() <= 0) throw std::invalid_argument("\"" + text + "\" is not above 0");
        cmd.options.max_downtime_seconds = std::chrono::duration<double>(d).count();
      } catch (const std::invalid_argument& e) {
        throw UsageError(flag + ": " + e.what());
      }
    } else if (flag == "--events") {
      const std::string mode = take();
      if (mode != "seen" && mode != "none") throw UsageError("--events: \"" + mode + "\" is not seen or none");
      cmd.options.events = mode == "seen" ? TraceOptions::Events::kSeen : TraceOptions::Events::kNone;
    } else if (flag == "-o" || flag == "--output") {
      const std::string out = take();
      if (out != "table" && out != "jsonl") throw UsageError(flag + ": \"" + out + "\" is not table or jsonl");
      cmd.output = out == "table" ? TraceCommand::Output::kTable : TraceCommand::Output::kJsonl;
    } else if (flag == "--data-dir") {
      cmd.data_dir = take();
    } else if (flag == "--compare" && !value && cmd.verb == TraceCommand::Verb::kReplay) {
      cmd.compare = true;
    } else if (flag.size() > 1 && flag[0] == '-') {
      throw UsageError("unknown flag \"" + flag + "\" for " + verb + "; see " + verb + " --help");
    } else {
      cmd.traces.push_back(args[i]);
    }
  }
  if (cmd.traces.empty()) throw UsageError(verb + " needs a TRACE file");
  if (cmd.verb == TraceCommand::Verb::kExplain && cmd.traces.size() != 1) {
    throw UsageError("explain takes one TRACE");
  }
  return cmd;
}

}  // namespace migmon::app

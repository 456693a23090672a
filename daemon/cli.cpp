#include "daemon/cli.h"

namespace migmon::app {
namespace {

bool TakesConfig(Command::Verb verb) {
  return verb == Command::Verb::kServe || verb == Command::Verb::kCheckConfig;
}

}  // namespace

Flag SplitFlag(const std::string& arg) {
  if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
    return {arg.substr(0, eq), arg.substr(eq + 1)};
  }
  return {arg, std::nullopt};
}

std::string FlagValue(const Flag& flag, const std::vector<std::string>& args, size_t& i) {
  if (flag.value) return *flag.value;
  if (i + 1 >= args.size()) throw UsageError(flag.name + " needs a value");
  return args[++i];
}

std::string HelpText() {
  return R"(migration-monitor: watch and control live migrations of libvirt/KVM guests

Usage:
  migration-monitor serve --config FILE [--kubevirt FILE] [--listen HOST:PORT] [--dry-run] [--insecure] [--log-level LEVEL]
  migration-monitor check-config --config FILE [--kubevirt FILE] [--insecure]
  migration-monitor print-metrics-doc
  migration-monitor --help | --version

Commands:
  serve              Watch the nodes of the config and serve /metrics, /healthz, /readyz.
                     SIGHUP reloads the config; SIGTERM or SIGINT stop (running
                     migrations are left to libvirt and picked up at the next start).
  check-config       Validate the config and print the effective values. Exit 0 when
                     valid, 2 naming the bad key, or saying why serve would refuse
                     to listen as configured, otherwise.
  print-metrics-doc  Print docs/metrics.md, generated from the metric declarations.
  migrate, get, list, cancel, watch, drain
                     Client commands for a running server's API: see
                     `migration-monitor migrate --help`.
  replay, explain    What the enforcer and the model make of a recorded migration:
                     see `migration-monitor replay --help`.

Flags:
  --config FILE      YAML config (may hold a KubeVirt CR as a further document).
  --kubevirt FILE    A KubeVirt CR whose spec.configuration.migrations override the
                     config's migration: block.
  --listen HOST:PORT Address for HTTP (default: the config's listen, 127.0.0.1:9477).
  --insecure         Serve the migration API on a non-loopback address without both
                     api.auth.tokenFile and api.tls (refused otherwise: a token
                     without TLS travels in clear, TLS without a token lets anyone
                     create migrations).
  --dry-run          Enforcement in observe mode whatever the config says: log and count
                     each action it would take, touch nothing.
  --log-level LEVEL  debug, info, warn or error (default info). Logs are JSON lines on stderr.

Environment:
  VMI_NAME           serve watches only this VMI ("name" or "namespace/name"), with
                     enforcement in observe mode: the single-VMI pod of deploy/.
)";
}

Command ParseCommandLine(const std::vector<std::string>& args) {
  Command cmd;
  if (args.empty()) throw UsageError("missing command (serve, check-config, ...); see --help");
  const std::string& verb = args[0];
  if (verb == "--help" || verb == "-h" || verb == "help") return cmd;
  if (verb == "--version" || verb == "version") {
    cmd.verb = Command::Verb::kVersion;
    return cmd;
  }
  if (verb == "serve") {
    cmd.verb = Command::Verb::kServe;
  } else if (verb == "check-config") {
    cmd.verb = Command::Verb::kCheckConfig;
  } else if (verb == "print-metrics-doc") {
    cmd.verb = Command::Verb::kPrintMetricsDoc;
  } else {
    throw UsageError("unknown command \"" + verb + "\"; see --help");
  }
  for (size_t i = 1; i < args.size(); ++i) {
    const Flag parsed = SplitFlag(args[i]);
    const std::string& flag = parsed.name;
    const std::optional<std::string>& value = parsed.value;
    if (flag == "--help" || flag == "-h") {
      cmd.verb = Command::Verb::kHelp;
      return cmd;
    }
    auto take = [&] { return FlagValue(parsed, args, i); };
    if (flag == "--config" && TakesConfig(cmd.verb)) {
      cmd.config_path = take();
    } else if (flag == "--kubevirt" && TakesConfig(cmd.verb)) {
      cmd.kubevirt_path = take();
    } else if (flag == "--listen" && cmd.verb == Command::Verb::kServe) {
      cmd.listen = take();
    } else if (flag == "--dry-run" && cmd.verb == Command::Verb::kServe && !value) {
      cmd.dry_run = true;
    } else if (flag == "--insecure" && TakesConfig(cmd.verb) && !value) {
      cmd.insecure = true;
    } else if (flag == "--log-level" && cmd.verb == Command::Verb::kServe) {
      cmd.log_level = take();
      if (cmd.log_level != "debug" && cmd.log_level != "info" && cmd.log_level != "warn" &&
          cmd.log_level != "error") {
        throw UsageError("--log-level: \"" + cmd.log_level + "\" is not debug, info, warn or error");
      }
    } else {
      throw UsageError("unknown flag \"" + flag + "\" for " + verb + "; see --help");
    }
  }
  if (TakesConfig(cmd.verb) && cmd.config_path.empty()) {
    throw UsageError(verb + " needs --config FILE");
  }
  return cmd;
}

}  // namespace migmon::app

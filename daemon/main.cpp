// migration-monitor: entry point. Parses the command line, then either
// validates a config, prints generated docs, or serves until a signal.
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <pthread.h>

#include <chrono>
#include <thread>

#include "client/client.h"
#include "config/listen_address.h"
#include "config/load.h"
#include "config/render.h"
#include "daemon/allocator.h"
#include "daemon/cli.h"
#include "daemon/exposure.h"
#include "daemon/monitor.h"
#include "daemon/record_cmd.h"
#include "daemon/trace_args.h"
#include "daemon/trace_cli.h"
#include "exporter/metrics_doc.h"
#include "util/log.h"

namespace migmon::app {
namespace {

constexpr int kExitUsage = 2;  // also: invalid config
constexpr auto kStopDeadline = std::chrono::milliseconds(4000);  // SIGTERM -> gone within 5 s

log::Level ParseLevel(const std::string& name) {
  if (name == "debug") return log::Level::kDebug;
  if (name == "warn") return log::Level::kWarn;
  if (name == "error") return log::Level::kError;
  return log::Level::kInfo;
}

config::Loaded Load(const Command& cmd) {
  return config::LoadConfigFile(cmd.config_path, cmd.kubevirt_path);
}

int CheckConfig(const Command& cmd) {
  try {
    const config::Loaded loaded = Load(cmd);
    for (const auto& w : loaded.warnings) std::cerr << "warning: " << w << "\n";
    // What serve would decide about listening, so a bad deployment fails here first.
    const Exposure exposure = CheckExposure(loaded.config, cmd.insecure);
    for (const auto& w : exposure.warnings) std::cerr << "warning: " << w << "\n";
    if (exposure.refusal) {
      std::cerr << "invalid config: " << *exposure.refusal << "\n";
      return kExitUsage;
    }
    std::cout << config::RenderEffective(loaded.config);
    return 0;
  } catch (const config::ConfigError& e) {
    std::cerr << "invalid config: " << e.what() << "\n";
    return kExitUsage;
  }
}

// Signals are handled synchronously by sigwait on the main thread; every
// other thread inherits the blocked mask.
sigset_t BlockHandledSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill us
  return set;
}

int Serve(const Command& cmd) {
  TuneAllocator();
  log::SetMinLevel(ParseLevel(cmd.log_level));
  config::Loaded loaded;
  try {
    loaded = Load(cmd);
    if (cmd.listen) {
      const auto addr = config::detail::ParseListenAddress(*cmd.listen);
      loaded.config.listen_host = addr.host;
      loaded.config.listen_port = addr.port;
    }
  } catch (const config::ConfigError& e) {
    log::Error("invalid config", {{"path", cmd.config_path}, {"error", e.what()}});
    return kExitUsage;
  } catch (const std::invalid_argument& e) {
    log::Error("invalid --listen", {{"error", e.what()}});
    return kExitUsage;
  }
  for (const auto& w : loaded.warnings) log::Warn(w);

  const sigset_t signals = BlockHandledSignals();
  ServeOptions options{cmd.dry_run, cmd.insecure, {}};
  if (const char* vmi = std::getenv("VMI_NAME"); vmi && *vmi) options.only_vmi = vmi;
  Monitor monitor(loaded.config, options);
  const HeapTrimmer trimmer;
  std::string error;
  if (!monitor.Start(error)) {
    log::Error("cannot start", {{"error", error}});
    return 1;
  }
  const auto listen_override = loaded.config;  // keeps --listen across reloads
  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      try {
        config::Loaded next = Load(cmd);
        for (const auto& w : next.warnings) log::Warn(w);
        if (cmd.listen) {
          next.config.listen_host = listen_override.listen_host;
          next.config.listen_port = listen_override.listen_port;
        }
        monitor.Reload(std::move(next.config));
      } catch (const config::ConfigError& e) {
        log::Error("reload rejected; keeping the running configuration",
                   {{"path", cmd.config_path}, {"error", e.what()}});
      }
      continue;
    }
    log::Info("stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    // A libvirt call cannot be interrupted (a dead remote host can hold
    // virConnectOpen for minutes): stopping is bounded all the same. State
    // is on disk already and running migrations belong to libvirt.
    std::thread([] {
      std::this_thread::sleep_for(kStopDeadline);
      log::Warn("stop deadline reached; exiting without waiting for libvirt calls in flight");
      std::_Exit(0);
    }).detach();
    monitor.Stop();
    log::Info("stopped; running migrations are left to libvirt");
    return 0;
  }
}

int Run(int argc, char** argv) {
  if (argc > 1 && client::IsClientVerb(argv[1])) {
    return client::RunClient(std::vector<std::string>(argv + 1, argv + argc));
  }
  if (argc > 1 && IsTraceVerb(argv[1])) return RunTraceCommand(std::vector<std::string>(argv + 1, argv + argc));
  if (argc > 1 && std::string_view(argv[1]) == "record") return RunRecord(std::vector<std::string>(argv + 1, argv + argc));
  Command cmd;
  try {
    cmd = ParseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const UsageError& e) {
    std::cerr << "migration-monitor: " << e.what() << "\n";
    return kExitUsage;
  }
  switch (cmd.verb) {
    case Command::Verb::kHelp:
      std::cout << HelpText() << "\n" << client::ClientHelpText() << "\n" << TraceHelpText();
      return 0;
    case Command::Verb::kVersion: std::cout << "migration-monitor " << MIGMON_VERSION << "\n"; return 0;
    case Command::Verb::kPrintMetricsDoc: std::cout << exporter::RenderMetricsDoc(); return 0;
    case Command::Verb::kCheckConfig: return CheckConfig(cmd);
    case Command::Verb::kServe: return Serve(cmd);
  }
  return kExitUsage;
}

}  // namespace
}  // namespace migmon::app

int main(int argc, char** argv) { return migmon::app::Run(argc, argv); }

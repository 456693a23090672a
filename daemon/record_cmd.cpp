#include "daemon/record_cmd.h"

#include <csignal>
#include <iostream>
#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "config/duration.h"
#include "daemon/cli.h"
#include "daemon/trace_recorder.h"
#include "hypervisor/event_loop.h"
#include "hypervisor/watcher_pool.h"
#include "samples/fan_out_sink.h"

namespace migmon::app {
namespace {

struct RecordArgs {
  std::string uri, domain, output;
  std::chrono::milliseconds poll{500};
};

RecordArgs Parse(const std::vector<std::string>& args) {
  RecordArgs r;
  std::vector<std::string> positional;
  for (size_t i = 1; i < args.size(); ++i) {
    const Flag parsed = SplitFlag(args[i]);
    const std::string& a = parsed.name;
    auto take = [&] { return FlagValue(parsed, args, i); };
    if (a == "-o" || a == "--output") {
      r.output = take();
    } else if (a == "--poll") {
      const std::string text = take();
      try {
        r.poll = config::ParseDuration(text);
      } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--poll: ") + e.what());
      }
      if (r.poll < std::chrono::milliseconds(50) || r.poll > std::chrono::seconds(60)) {
        throw UsageError("--poll: \"" + text + "\" is not between 50ms and 60s");
      }
    } else if (a.size() > 1 && a[0] == '-') {
      throw UsageError("unknown flag \"" + a + "\" for record; see --help");
    } else {
      positional.push_back(a);
    }
  }
  if (positional.size() != 2) throw UsageError("record needs URI and DOMAIN (e.g. record qemu:///system vm1 -o vm1.jsonl)");
  r.uri = positional[0];
  r.domain = positional[1];
  if (r.output.empty()) r.output = r.domain + ".jsonl";
  return r;
}

// Says on stderr when the node is reachable or not, once per change.
class Narrator final : public NodeFactsSink {
 public:
  void NodeConnectivity(const std::string&, bool up, const std::string& detail) override {
    if (up == up_) return;
    up_ = up;
    std::cerr << (up ? "record: connected; waiting for a migration\n" : "record: not connected: " + detail + "\n");
  }

 private:
  std::optional<bool> up_;
};

}  // namespace

int RunRecord(const std::vector<std::string>& args) {
  RecordArgs r;
  try {
    r = Parse(args);
  } catch (const UsageError& e) {
    std::cerr << "migration-monitor: " << e.what() << "\n";
    return 2;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::mutex mu;
  std::condition_variable done;
  std::optional<std::string> ended;
  TraceRecorderSettings settings;
  settings.only_domain = r.domain;
  settings.output_file = r.output;
  settings.poll_seconds = std::chrono::duration<double>(r.poll).count();
  TraceRecorder recorder(settings, RealClock(), [&](const std::string& path) {
    std::lock_guard lock(mu);
    ended = path;
    done.notify_all();
  });
  Narrator narrator;
  FanOutSink sink({&narrator, &recorder});
  hv::EventLoop loop;
  hv::WatcherPool pool;
  pool.SetSink(sink);
  hv::WatchSettings watch{r.poll, std::chrono::seconds(1), nullptr};
  const std::string wanted = r.domain;
  watch.domain_filter = [wanted](const std::string& name) { return name == wanted; };
  pool.Apply({{"node", r.uri}}, watch);
  std::cerr << "record: watching " << r.domain << " on " << r.uri << " into " << r.output << " (Ctrl-C stops)\n";

  // The signal is waited for on its own thread; the migration's end wakes the main one.
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    std::lock_guard lock(mu);
    if (!ended) ended = std::string();
    done.notify_all();
  });
  {
    std::unique_lock lock(mu);
    done.wait(lock, [&] { return ended.has_value(); });
  }
  pool.StopAll();
  const bool migrated = !ended->empty();
  // The migration ended first: wake the signal thread, which still waits.
  if (migrated) pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::cerr << (migrated ? "record: the migration ended; trace in " + *ended + "\n" : "record: stopped\n");
  return 0;
}

}  // namespace migmon::app

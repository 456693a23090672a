#include "hypervisor/node_watcher.h"

#include <atomic>
#include <mutex>
#include <thread>

#include "hypervisor/session.h"
#include "util/clock.h"

namespace migmon::hv {

struct NodeWatcher::Impl {
  Impl(const std::string& node, const std::string& uri, WatchSettings s, NodeFactsSink& sink, SessionOpener open)
      : core(node, uri, sink, open ? std::move(open) : SessionOpener(OpenLibvirtSession), RealClock()),
        settings(std::move(s)) {}

  void Run();
  WatchSettings Settings() {
    std::lock_guard lock(settings_mutex);
    return settings;
  }

  WatcherCore core;  // the watcher thread's alone
  std::mutex settings_mutex;
  WatchSettings settings;
  std::atomic<bool> stop{false};
  std::atomic<bool> sweep_requested{false};
  std::thread thread;
};

void NodeWatcher::Impl::Run() {
  SteadyTime deadline = RealClock().SteadyNow();
  while (!stop) {
    Wakeup wakeup = core.queue()->WaitUntil(deadline);
    if (stop) break;
    deadline = core.Step(std::move(wakeup), Settings(), sweep_requested.exchange(false));
  }
  core.Close();
}

NodeWatcher::NodeWatcher(std::string node, std::string uri, WatchSettings settings, NodeFactsSink& sink,
                         SessionOpener open)
    : node_(std::move(node)), uri_(std::move(uri)),
      impl_(std::make_unique<Impl>(node_, uri_, std::move(settings), sink, std::move(open))) {}

NodeWatcher::~NodeWatcher() { Stop(); }

void NodeWatcher::Start() {
  impl_->stop = false;
  impl_->thread = std::thread([impl = impl_.get()] { impl->Run(); });
}

void NodeWatcher::RequestStop() {
  impl_->stop = true;
  impl_->core.queue()->Wake();
}

void NodeWatcher::Stop() {
  RequestStop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void NodeWatcher::UpdateSettings(WatchSettings settings) {
  {
    std::lock_guard lock(impl_->settings_mutex);
    impl_->settings = std::move(settings);
  }
  impl_->core.queue()->Wake();
}

void NodeWatcher::Submit(MigrationAction action) { impl_->core.queue()->PushAction(std::move(action)); }

void NodeWatcher::RequestSweep() {
  impl_->sweep_requested = true;
  impl_->core.queue()->Wake();
}

}  // namespace migmon::hv

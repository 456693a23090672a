#include "hypervisor/watcher_pool.h"

#include <algorithm>

#include "util/log.h"

namespace migmon::hv {

WatcherPool::WatcherPool(SessionOpener open) : open_(std::move(open)) {}

WatcherPool::~WatcherPool() { StopAll(); }

void WatcherPool::StartWatcher(const WatchedNode& node, const WatchSettings& settings) {
  // In the map before its thread runs: actions for the node find it at once.
  std::lock_guard lock(mutex_);
  auto& watcher = watchers_[node.name];
  watcher = std::make_unique<NodeWatcher>(node.name, node.uri, settings, *sink_, open_);
  watcher->Start();
}

void WatcherPool::Apply(const std::vector<WatchedNode>& nodes, const WatchSettings& settings,
                        const std::function<void()>& between) {
  std::vector<std::unique_ptr<NodeWatcher>> stopping;
  {
    std::lock_guard lock(mutex_);
    for (auto it = watchers_.begin(); it != watchers_.end();) {
      const auto kept = std::find_if(nodes.begin(), nodes.end(), [&](const WatchedNode& n) {
        return n.name == it->first && n.uri == it->second->uri();
      });
      if (kept == nodes.end()) {
        stopping.push_back(std::move(it->second));
        it = watchers_.erase(it);
      } else {
        it->second->UpdateSettings(settings);
        ++it;
      }
    }
  }
  for (auto& w : stopping) w->RequestStop();
  for (auto& w : stopping) w->Stop();
  if (between) between();
  for (const auto& node : nodes) {
    bool running;
    {
      std::lock_guard lock(mutex_);
      running = watchers_.count(node.name) > 0;
    }
    if (!running) StartWatcher(node, settings);
  }
}

void WatcherPool::StopAll() {
  std::map<std::string, std::unique_ptr<NodeWatcher>> stopping;
  {
    std::lock_guard lock(mutex_);
    stopping.swap(watchers_);
  }
  for (auto& [name, watcher] : stopping) watcher->RequestStop();
  for (auto& [name, watcher] : stopping) watcher->Stop();
}

void WatcherPool::Submit(const std::string& node, MigrationAction action) {
  {
    std::lock_guard lock(mutex_);
    auto it = watchers_.find(node);
    if (it != watchers_.end()) return it->second->Submit(std::move(action));
  }
  // Without the lock: the enforcer may submit again from ActionDone.
  log::Warn("action for a node that is not watched right now",
            {{"node", node}, {"uuid", action.uuid}, {"action", ActionName(action.kind)}});
  if (sink_) sink_->ActionDone(DomainRef{node, action.uuid, ""}, action, false, "node not watched");
}

void WatcherPool::RequestSweeps() {
  std::lock_guard lock(mutex_);
  for (auto& [name, watcher] : watchers_) watcher->RequestSweep();
}

std::map<std::string, std::string> WatcherPool::Watched() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::string> out;
  for (const auto& [name, watcher] : watchers_) out[name] = watcher->uri();
  return out;
}

}  // namespace migmon::hv

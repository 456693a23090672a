#include "daemon/monitor.h"

#include "util/log.h"

namespace migmon::app {
namespace {

std::vector<std::string> NodeNames(const config::Config& c) {
  std::vector<std::string> names;
  for (const auto& n : c.nodes) names.push_back(n.name);
  return names;
}

}  // namespace

NamingScheme ToNamingScheme(config::Naming naming) {
  return naming == config::Naming::kKubeVirt ? NamingScheme::kKubeVirt : NamingScheme::kDomain;
}

Monitor::Monitor(config::Config config)
    : config_(std::move(config)),
      registry_(ToNamingScheme(config_.naming)),
      collector_(std::make_shared<exporter::SnapshotCollector>(registry_)),
      server_({collector_}, [this] { return Ready(); }) {
  registry_.SetNodes(NodeNames(config_));
}

Monitor::~Monitor() { Stop(); }

hv::WatchSettings Monitor::Settings() const {
  return hv::WatchSettings{config_.poll_interval, config_.discovery_interval};
}

bool Monitor::Start(std::string& error) {
  if (!server_.Start(config_.listen_host, config_.listen_port, error)) return false;
  for (const auto& node : config_.nodes) StartWatcher(node);
  log::Info("serving", {{"listen", config_.listen_host + ":" + std::to_string(config_.listen_port)},
                        {"nodes", config_.nodes.size()},
                        {"poll_interval_ms", config_.poll_interval.count()}});
  return true;
}

void Monitor::StartWatcher(const config::NodeConfig& node) {
  auto watcher = std::make_unique<hv::NodeWatcher>(node.name, node.uri, Settings(), registry_);
  watcher->Start();
  watchers_[node.name] = std::move(watcher);
}

void Monitor::Reload(config::Config next) {
  if (next.listen_host != config_.listen_host || next.listen_port != config_.listen_port) {
    log::Warn("listen address changes need a restart; keeping the old one",
              {{"listen", config_.listen_host + ":" + std::to_string(config_.listen_port)}});
    next.listen_host = config_.listen_host;
    next.listen_port = config_.listen_port;
  }
  const config::Config previous = std::move(config_);
  config_ = std::move(next);
  registry_.SetNaming(ToNamingScheme(config_.naming));

  // Stop watchers of removed nodes and of nodes whose URI changed.
  for (auto it = watchers_.begin(); it != watchers_.end();) {
    const auto kept = std::find_if(config_.nodes.begin(), config_.nodes.end(), [&](const auto& n) {
      return n.name == it->first && n.uri == it->second->uri();
    });
    if (kept == config_.nodes.end()) {
      it->second->Stop();
      it = watchers_.erase(it);
    } else {
      it->second->UpdateSettings(Settings());
      ++it;
    }
  }
  registry_.SetNodes(NodeNames(config_));
  for (const auto& node : config_.nodes) {
    if (!watchers_.count(node.name)) StartWatcher(node);
  }
  log::Info("configuration reloaded", {{"nodes", config_.nodes.size()},
                                       {"poll_interval_ms", config_.poll_interval.count()}});
}

void Monitor::Stop() {
  for (auto& [name, watcher] : watchers_) watcher->Stop();
  watchers_.clear();
  server_.Stop();
}

exporter::Readiness Monitor::Ready() const {
  exporter::Readiness r;
  for (const auto& node : registry_.TakeSnapshot().nodes) {
    r.ready = r.ready || node.up;
    r.body += node.name + (node.up ? " up " : " down ") + node.detail + "\n";
  }
  r.body = (r.ready ? "ready\n" : "not ready: no node connected\n") + r.body;
  return r;
}

}  // namespace migmon::app

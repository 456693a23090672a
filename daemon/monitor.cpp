#include "daemon/monitor.h"

#include <chrono>
#include <filesystem>

#include "daemon/data_dir.h"
#include "daemon/exposure.h"
#include "daemon/readiness.h"
#include "util/log.h"
#include "util/time_format.h"

namespace migmon::app {
namespace {

std::vector<std::string> NodeNames(const config::Config& c) {
  std::vector<std::string> names;
  for (const auto& n : c.nodes) names.push_back(n.name);
  return names;
}


// The config's http: section and api.maxRequestBytes as the server's limits.
http::Limits ServerLimits(const config::Config& c) {
  http::Limits limits;
  limits.head_timeout = c.http.header_timeout;
  limits.body_timeout = c.http.body_timeout;
  limits.idle_timeout = c.http.idle_timeout;
  limits.write_timeout = c.http.write_timeout;
  limits.max_head_bytes = static_cast<uint32_t>(c.http.max_header_bytes);
  limits.max_body_bytes = c.api.max_request_bytes;
  limits.max_connections = c.http.max_connections;
  limits.max_connections_per_address = c.http.max_connections_per_client;
  limits.max_monitoring_requests = c.http.max_monitoring_requests;
  return limits;
}

}  // namespace

NamingScheme ToNamingScheme(config::Naming naming) {
  return naming == config::Naming::kKubeVirt ? NamingScheme::kKubeVirt : NamingScheme::kDomain;
}

Monitor::Monitor(config::Config config, ServeOptions options)
    : config_(std::move(config)),
      options_(options),
      registry_(ToNamingScheme(config_.naming)),
      collector_(std::make_shared<exporter::SnapshotCollector>([this] { return registry_.TakeSnapshot(false); })),
      enforcer_collector_(std::make_shared<enforcer::EnforcerCollector>(
          [this] { return enforcer_ ? enforcer_->Figures() : enforcer::EnforcerFigures{}; })),
      api_collector_(std::make_shared<exporter::ApiCollector>([this] { return ReadApiFigures(); })),
      server_({collector_, enforcer_collector_, api_collector_}, [this] { return Ready(); }) {
  registry_.SetNodes(NodeNames(config_));
}

Monitor::~Monitor() { Stop(); }

hv::WatchSettings Monitor::Settings() const {
  hv::WatchSettings s{config_.poll_interval, config_.discovery_interval, nullptr};
  if (!options_.only_vmi.empty()) {
    const std::string wanted = options_.only_vmi;
    const NamingScheme naming = ToNamingScheme(config_.naming);
    s.domain_filter = [wanted, naming](const std::string& domain) {
      return IsNamedVmi(MapDomainName(domain, naming), wanted);
    };
  }
  return s;
}

enforcer::EnforcerSettings Monitor::EnforcementSettings() const {
  enforcer::EnforcerSettings s;
  s.policy.progress_timeout_seconds = config_.migration.progress_timeout_seconds;
  s.policy.completion_timeout_per_gib_seconds = config_.migration.completion_timeout_per_gib_seconds;
  s.policy.allow_post_copy = config_.migration.allow_post_copy;
  s.policy.max_downtime_seconds = config_.migration.max_downtime_ms / 1000.0;
  for (const auto step : config_.enforcement.max_downtime_steps) {
    s.policy.max_downtime_steps_seconds.push_back(std::chrono::duration<double>(step).count());
  }
  s.observe = options_.dry_run || !options_.only_vmi.empty() ||
              config_.enforcement.mode == config::EnforcementMode::kObserve;
  s.exclude = config_.enforcement.exclude;
  s.naming = ToNamingScheme(config_.naming);
  s.nodes = NodeNames(config_);
  return s;
}

Snapshot Monitor::TakeCoreSnapshot(bool with_domains) const { return registry_.TakeSnapshot(with_domains); }

std::optional<exporter::ApiFigures> Monitor::ReadApiFigures() const {
  if (!controller_ || !api_) return std::nullopt;
  const auto counts = controller_->GetCounts();
  exporter::ApiFigures f;
  f.migrations_by_phase = counts.by_phase;
  f.oldest_pending_timestamp = counts.oldest_pending;
  f.launch_failures = counts.launch_failures;
  f.requests = api_->RequestCounts();
  f.quarantined_objects = objects_->QuarantinedCount();
  return f;
}

migrations::ControllerSettings Monitor::ControllerSettings() const {
  migrations::ControllerSettings s;
  s.nodes = config_.nodes;
  s.policy = config_.migration;
  s.naming = ToNamingScheme(config_.naming);
  s.retention_per_vmi = config_.api.retention_per_vmi;
  s.retention_ttl_seconds = std::chrono::duration<double>(config_.api.retention_ttl).count();
  return s;
}

api::ApiSettings Monitor::ApiSettings() const {
  return api::ApiSettings{config_.api.token, config_.api.max_watches, ToNamingScheme(config_.naming)};
}

bool Monitor::StartApi(std::string& error) {
  const Exposure exposure = CheckExposure(config_, options_.insecure);
  for (const auto& w : exposure.warnings) log::Warn(w);
  if (exposure.refusal) {
    error = *exposure.refusal;
    return false;
  }
  objects_ = store::ObjectStore::Open(config_.data_dir + "/objects.db", error);
  if (!objects_) return false;
  migrations::NodeReadings nodes;
  nodes.snapshot = [this](bool with_domains) { return TakeCoreSnapshot(with_domains); };
  nodes.recent_outcome = [this](const std::string& node, const std::string& uuid, double since) {
    return registry_.RecentOutcome(node, uuid, since);
  };
  nodes.request_sweep = [this] { watchers_.RequestSweeps(); };
  controller_ = std::make_unique<migrations::Controller>(*objects_, launcher_, watchers_, RealClock(), std::move(nodes),
                                                         ControllerSettings());
  api_ = std::make_unique<api::ApiServer>(*objects_, *controller_, [this] { return TakeCoreSnapshot(); }, ApiSettings());
  server_.AddRoutes([this](http::Server& server) { api_->Install(server); });
  return true;
}

bool Monitor::Start(std::string& error) {
  if (!PrepareDataDir(config_.data_dir, error)) return false;
  history_store_ = enforcer::SqliteHistoryStore::Open(config_.data_dir + "/enforcer.db", error);
  if (!history_store_) return false;
  TraceRecorderSettings traces;
  traces.folder = config_.data_dir + "/traces";
  traces.naming = ToNamingScheme(config_.naming);
  traces.poll_seconds = std::chrono::duration<double>(config_.poll_interval).count();
  traces_ = std::make_unique<TraceRecorder>(std::move(traces), RealClock());
  enforcer_ = std::make_unique<enforcer::Enforcer>(EnforcementSettings(), *history_store_, watchers_, RealClock(),
                                                   traces_.get());
  // The recorder before the enforcer: a sample is in the trace before a decision made on it.
  sink_ = std::make_unique<FanOutSink>(std::vector<NodeFactsSink*>{&registry_, traces_.get(), enforcer_.get()});
  watchers_.SetSink(*sink_);

  if (config_.api.enabled && !StartApi(error)) return false;
  exporter::ServerOptions http;
  http.host = config_.listen_host;
  http.port = config_.listen_port;
  http.tls_cert_file = config_.api.tls_cert_file;
  http.tls_key_file = config_.api.tls_key_file;
  http.limits = ServerLimits(config_);
  if (!server_.Start(http, error)) return false;
  watchers_.Apply(WatchedNodes(), Settings());
  if (controller_ && !controller_->Start(error)) return false;
  loaded_ = true;  // /readyz may say ready from here on
  const auto settings = EnforcementSettings();
  log::Info("serving", {{"listen", config_.listen_host + ":" + std::to_string(config_.listen_port)},
                        {"nodes", config_.nodes.size()},
                        {"poll_interval_ms", config_.poll_interval.count()},
                        {"enforcement", settings.observe ? "observe" : "enforce"},
                        {"api", config_.api.enabled},
                        {"only_vmi", options_.only_vmi},
                        {"data_dir", config_.data_dir}});
  return true;
}

std::vector<hv::WatchedNode> Monitor::WatchedNodes() const {
  std::vector<hv::WatchedNode> nodes;
  for (const auto& n : config_.nodes) nodes.push_back({n.name, n.uri});
  return nodes;
}

void Monitor::Reload(config::Config next) {
  if (next.listen_host != config_.listen_host || next.listen_port != config_.listen_port ||
      next.data_dir != config_.data_dir) {
    log::Warn("listen address and dataDir changes need a restart; keeping the old ones",
              {{"listen", config_.listen_host + ":" + std::to_string(config_.listen_port)},
               {"data_dir", config_.data_dir}});
    next.listen_host = config_.listen_host;
    next.listen_port = config_.listen_port;
    next.data_dir = config_.data_dir;
  }
  if (next.api.enabled != config_.api.enabled || next.api.tls_cert_file != config_.api.tls_cert_file ||
      next.api.max_watches != config_.api.max_watches) {
    // The HTTP pool is sized for maxWatches at start: more watches would starve it.
    log::Warn("api.enabled, api.tls and api.maxWatches changes need a restart; keeping the old ones");
    next.api.enabled = config_.api.enabled;
    next.api.tls_cert_file = config_.api.tls_cert_file;
    next.api.tls_key_file = config_.api.tls_key_file;
    next.api.max_watches = config_.api.max_watches;
  }
  config_ = std::move(next);
  registry_.SetNaming(ToNamingScheme(config_.naming));
  enforcer_->UpdateSettings(EnforcementSettings());
  if (controller_) controller_->UpdateSettings(ControllerSettings());
  if (api_) api_->UpdateSettings(ApiSettings());

  // Stops the watchers of removed nodes and of nodes whose URI changed, then
  // (once the registry knows the new nodes) starts the new ones.
  watchers_.Apply(WatchedNodes(), Settings(), [this] { registry_.SetNodes(NodeNames(config_)); });
  log::Info("configuration reloaded", {{"nodes", config_.nodes.size()},
                                       {"poll_interval_ms", config_.poll_interval.count()}});
}

void Monitor::Stop() {
  // The API first: no new launches; running migrations stay with libvirt.
  if (controller_) controller_->Stop();
  launcher_.Shutdown();
  if (objects_) objects_->Shutdown();  // ends open watch streams
  watchers_.StopAll();
  server_.Stop();
}

exporter::Readiness Monitor::Ready() const { return DecideReadiness(loaded_, registry_.TakeSnapshot(false).nodes); }

}  // namespace migmon::app

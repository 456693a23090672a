#include "exporter/http_server.h"

#include <prometheus/text_serializer.h>

#include "metrics/catalog.h"

namespace migmon::exporter {
namespace {

constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

constexpr const char* kLandingPage = R"(<!doctype html>
<html><head><title>migration-monitor</title></head>
<body>
<h1>migration-monitor</h1>
<p>Watches live migrations on libvirt nodes and exports their progress.</p>
<ul>
<li><a href="/metrics">/metrics</a>: Prometheus metrics</li>
<li><a href="/healthz">/healthz</a>: liveness</li>
<li><a href="/readyz">/readyz</a>: readiness, with the state of every node</li>
</ul>
</body></html>
)";

}  // namespace

HttpServer::HttpServer(std::vector<std::shared_ptr<prometheus::Collectable>> collectables,
                       std::function<Readiness()> readiness)
    : collectables_(std::move(collectables)), readiness_(std::move(readiness)) {}

void HttpServer::InstallBaseRoutes(http::Server& server) {
  using http::Pool;
  using http::Request;
  using http::Response;
  server.Get("/metrics", [this](const Request&, Response& res) { res.set_content(RenderMetrics(), kMetricsContentType); },
             Pool::kMonitoring);
  server.Get("/healthz", [](const Request&, Response& res) { res.set_content("ok\n", "text/plain"); },
             Pool::kMonitoring);
  server.Get("/readyz", [this](const Request&, Response& res) {
    const Readiness r = readiness_();
    res.status = r.ready ? 200 : 503;
    res.set_content(r.body, "text/plain");
  }, Pool::kMonitoring);
  server.Get("/", [](const Request&, Response& res) { res.set_content(kLandingPage, "text/html"); },
             Pool::kMonitoring);
}

HttpServer::~HttpServer() { Stop(); }

bool HttpServer::Start(const ServerOptions& options, std::string& error) {
  server_ = std::make_unique<http::Server>();
  InstallBaseRoutes(*server_);
  for (const auto& install : installers_) install(*server_);
  if (!server_->Start(options, error)) {
    server_.reset();
    return false;
  }
  return true;
}

void HttpServer::Stop() {
  if (server_) server_->Stop();
}

std::vector<prometheus::MetricFamily> CollectAll(
    const std::vector<std::shared_ptr<prometheus::Collectable>>& collectables) {
  std::vector<prometheus::MetricFamily> families;
  for (const auto& c : collectables) {
    auto more = c->Collect();
    families.insert(families.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  }
  metrics::SortByCatalog(families);
  return families;
}

std::string HttpServer::RenderMetrics() const {
  return prometheus::TextSerializer().Serialize(CollectAll(collectables_));
}

}  // namespace migmon::exporter

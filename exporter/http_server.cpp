#include "exporter/http_server.h"

#include <prometheus/text_serializer.h>

#include "util/log.h"

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

void HttpServer::InstallBaseRoutes(httplib::Server& server) {
  server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(RenderMetrics(), kMetricsContentType);
  });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    const Readiness r = readiness_();
    res.status = r.ready ? 200 : 503;
    res.set_content(r.body, "text/plain");
  });
  server.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kLandingPage, "text/html");
  });
  // No exception may escape a handler: answer 500 and log it instead.
  server.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown error";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log::Error("http handler failed", {{"path", req.path}, {"error", what}});
    res.status = 500;
    res.set_content("internal error\n", "text/plain");
  });
}

HttpServer::~HttpServer() { Stop(); }

bool HttpServer::Start(const ServerOptions& options, std::string& error) {
  if (!options.tls_cert_file.empty()) {
    auto tls = std::make_unique<httplib::SSLServer>(options.tls_cert_file.c_str(), options.tls_key_file.c_str());
    if (!tls->is_valid()) {
      error = "cannot load the TLS certificate " + options.tls_cert_file + " and key " + options.tls_key_file;
      return false;
    }
    server_ = std::move(tls);
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  const size_t threads = options.threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_payload_max_length(options.max_body_bytes);
  // An idle keep-alive connection holds a worker until this runs out, and
  // stopping waits for every worker: keep it short.
  server_->set_keep_alive_timeout(1);
  InstallBaseRoutes(*server_);
  for (const auto& install : installers_) install(*server_);
  if (!server_->bind_to_port(options.host, options.port)) {
    error = "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + std::strerror(errno);
    return false;
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return true;
}

void HttpServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string HttpServer::RenderMetrics() const {
  std::vector<prometheus::MetricFamily> families;
  for (const auto& c : collectables_) {
    auto more = c->Collect();
    families.insert(families.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  }
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace migmon::exporter

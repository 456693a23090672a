#include "exporter/http_server.h"

#include <prometheus/text_serializer.h>

#include "util/log.h"

namespace migmon::exporter {
namespace {

constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";
constexpr size_t kServerThreads = 8;

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
    : collectables_(std::move(collectables)), readiness_(std::move(readiness)) {
  server_.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
  server_.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(RenderMetrics(), kMetricsContentType);
  });
  server_.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server_.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    const Readiness r = readiness_();
    res.status = r.ready ? 200 : 503;
    res.set_content(r.body, "text/plain");
  });
  server_.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kLandingPage, "text/html");
  });
  // No exception may escape a handler: answer 500 and log it instead.
  server_.set_exception_handler([](const httplib::Request& req, httplib::Response& res,
                                   std::exception_ptr ep) {
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

bool HttpServer::Start(const std::string& host, uint16_t port, std::string& error) {
  if (!server_.bind_to_port(host, port)) {
    error = "cannot listen on " + host + ":" + std::to_string(port) + ": " + std::strerror(errno);
    return false;
  }
  bound_port_ = port;
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  return true;
}

void HttpServer::Stop() {
  server_.stop();
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

// The monitor's HTTP(S) endpoint: /metrics (every stage's collector),
// /healthz, /readyz and a landing page at / on the monitoring pool of an
// http::Server (so API traffic never starves them); the API stage adds its
// routes before Start().
//
// Thread-safety: handlers run on the server's pools; they read only
// snapshots (collectables) and the readiness callback, which must be
// thread-safe and must not call libvirt. Start() and Stop() from one thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include "http/server.h"

namespace migmon::exporter {

struct Readiness {
  bool ready = false;
  std::string body;  // one line per node: "node-1 up connected"
};

// Address, TLS files and limits (http/limits.h).
using ServerOptions = http::ServerOptions;

// Every collectable's families in catalog order (metrics/catalog.h), as
// /metrics serves them: the order does not depend on which stage's
// collector rendered which family.
std::vector<prometheus::MetricFamily> CollectAll(
    const std::vector<std::shared_ptr<prometheus::Collectable>>& collectables);

class HttpServer {
 public:
  using RouteInstaller = std::function<void(http::Server&)>;

  HttpServer(std::vector<std::shared_ptr<prometheus::Collectable>> collectables,
             std::function<Readiness()> readiness);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Routes added by later stages (the API), installed at Start().
  void AddRoutes(RouteInstaller installer) { installers_.push_back(std::move(installer)); }

  // Binds and starts serving; false with `error` set when the address cannot
  // be bound or the TLS files cannot be loaded.
  bool Start(const ServerOptions& options, std::string& error);
  void Stop();

 private:
  void InstallBaseRoutes(http::Server& server);
  std::string RenderMetrics() const;

  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
  std::function<Readiness()> readiness_;
  std::vector<RouteInstaller> installers_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace migmon::exporter

// The one HTTP(S) server: /metrics, /healthz, /readyz and a landing page at
// /; the API stage adds its routes before Start().
//
// Thread-safety: handlers run on the server's thread pool; they read only
// snapshots (collectables) and the readiness callback, which must be
// thread-safe and must not call libvirt.
#pragma once

#include <httplib.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <prometheus/collectable.h>

namespace migmon::exporter {

struct Readiness {
  bool ready = false;
  std::string body;  // one line per node: "node-1 up connected"
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 9477;
  std::string tls_cert_file;  // both set: HTTPS
  std::string tls_key_file;
  size_t threads = 8;          // size it for long-lived watch streams
  size_t max_body_bytes = 1 << 20;
};

class HttpServer {
 public:
  using RouteInstaller = std::function<void(httplib::Server&)>;

  HttpServer(std::vector<std::shared_ptr<prometheus::Collectable>> collectables,
             std::function<Readiness()> readiness);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Routes added by later stages (the API), installed at Start().
  void AddRoutes(RouteInstaller installer) { installers_.push_back(std::move(installer)); }

  // Binds and starts serving on a thread; false with `error` set when the
  // address cannot be bound or the TLS files cannot be loaded.
  bool Start(const ServerOptions& options, std::string& error);
  void Stop();

 private:
  void InstallBaseRoutes(httplib::Server& server);
  std::string RenderMetrics() const;

  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
  std::function<Readiness()> readiness_;
  std::vector<RouteInstaller> installers_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace migmon::exporter

// The one HTTP server: /metrics, /healthz, /readyz and a landing page at /.
// Later stages (the API) add their routes through routes().
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

class HttpServer {
 public:
  HttpServer(std::vector<std::shared_ptr<prometheus::Collectable>> collectables,
             std::function<Readiness()> readiness);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving on a thread; false with `error` set when the
  // address cannot be bound.
  bool Start(const std::string& host, uint16_t port, std::string& error);
  void Stop();
  int bound_port() const { return bound_port_; }

  httplib::Server& routes() { return server_; }

 private:
  std::string RenderMetrics() const;

  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
  std::function<Readiness()> readiness_;
  httplib::Server server_;
  std::thread thread_;
  int bound_port_ = 0;
};

}  // namespace migmon::exporter

// The bounds the HTTP server puts on every client, so that no client (slow,
// idle, greedy or hostile) can take the monitoring endpoints away from
// Prometheus or the API from the other clients.
//
// Thread-safety: a value type; the server copies it at Start().
#pragma once

#include <chrono>
#include <cstdint>

namespace migmon::http {

struct Limits {
  // The whole request head (request line and headers) must arrive within
  // this, counted from its first byte; on a new connection from accept, or
  // from the end of the TLS handshake (which has the same bound). A slow
  // head is closed, not waited for.
  std::chrono::milliseconds head_timeout{10000};
  // The body, once the head is in, must arrive within this.
  std::chrono::milliseconds body_timeout{30000};
  // A keep-alive connection may sit idle between requests this long.
  // Longer than Prometheus' usual scrape intervals, so scrapes reuse it.
  std::chrono::milliseconds idle_timeout{120000};
  // Each response (each chunk of a stream) must be taken within this.
  std::chrono::milliseconds write_timeout{30000};
  // Request line plus headers; more gets 431.
  uint32_t max_head_bytes = 16384;
  // Every body, chunked or not; more gets 413.
  uint64_t max_body_bytes = 1 << 20;
  // Open connections in total and per client address; one over is closed
  // at once (never queued).
  uint32_t max_connections = 1024;
  uint32_t max_connections_per_address = 64;
  // Monitoring requests (the kMonitoring routes) queued or running at once;
  // more get 503 (node_exporter's --web.max-requests).
  uint32_t max_monitoring_requests = 40;
  uint32_t monitoring_threads = 2;
  uint32_t api_threads = 4;
};

}  // namespace migmon::http

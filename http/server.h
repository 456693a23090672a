// The HTTP(S) server of the monitor (Boost.Beast on Boost.Asio, OpenSSL for
// TLS). One io thread runs accept, the TLS handshake, reading every request
// head and body, and every write, all asynchronously and each under a
// deadline (http/limits.h), so a slow or idle client costs a socket and a
// little memory, never a thread. Handlers run on two pools: a small one for
// the kMonitoring routes (capped at Limits::max_monitoring_requests, beyond
// that 503) and one for the API; a streaming response (a watch) then runs
// its provider on a thread of its own, so long streams never take the API
// pool away from short requests.
//
// HTTP rules enforced before any handler runs: a head over max_head_bytes is
// 431, a body over max_body_bytes (chunked too) is 413 naming the limit, a
// malformed or negative Content-Length or two different ones is 400, an
// HTTP/1.1 request without Host is 400, a known path with a method it does
// not take is 405 with Allow, an unknown path 404. An exception from a
// handler becomes a 500 and is logged; nothing a client sends can harm the
// process.
//
// Thread-safety: routes and hooks are set before Start(); Start() and Stop()
// from one thread. Handlers and hooks run concurrently on the pools and must
// be thread-safe; the error body hook also runs on the io thread and must
// not block.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "http/limits.h"
#include "http/message.h"
#include "http/router.h"

namespace migmon::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 9477;       // 0: any free port (see Server::port())
  std::string tls_cert_file;  // both set: HTTPS only (TLS 1.2 or later)
  std::string tls_key_file;
  Limits limits;
};

// Before routing: kHandled means `res` is the answer (e.g. 401) and no
// route runs.
enum class PreRouting { kContinue, kHandled };
using PreRoutingHandler = std::function<PreRouting(const Request&, Response&)>;
// Fills the body of an error answer the server makes itself or a handler left
// without a body (res.status is set; `message` says what went wrong).
using ErrorBodyHandler = std::function<void(const Request&, Response&, std::string_view message)>;
// After each answer (not for refused connections).
using Logger = std::function<void(const Request&, const Response&)>;

class Server {
 public:
  Server();
  ~Server();  // Stop()s
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void Get(std::string pattern, Handler handler, Pool pool = Pool::kApi);
  void Post(std::string pattern, Handler handler, Pool pool = Pool::kApi);
  void Put(std::string pattern, Handler handler, Pool pool = Pool::kApi);
  void Patch(std::string pattern, Handler handler, Pool pool = Pool::kApi);
  void Delete(std::string pattern, Handler handler, Pool pool = Pool::kApi);

  void SetPreRoutingHandler(PreRoutingHandler handler);
  void SetErrorBodyHandler(ErrorBodyHandler handler);
  void SetLogger(Logger logger);

  // Binds and starts the io thread and pools; false with `error` set when
  // the address cannot be bound or the TLS files cannot be used.
  bool Start(const ServerOptions& options, std::string& error);
  // The bound port (after Start).
  uint16_t port() const;
  // Closes the listener and every connection, ends streams (their
  // providers see is_writable() false) and joins every thread. Idempotent.
  void Stop();

  struct Core;

 private:
  std::unique_ptr<Core> core_;
};

}  // namespace migmon::http

#include "http/server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <vector>

#include "http/core.h"
#include "http/session.h"
#include "http/tls.h"
#include "util/log.h"

namespace migmon::http {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

// After a failed accept (out of file descriptors), wait before the next
// one instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetry{100};

void Accept(Server::Core& core) {
  core.acceptor->async_accept([&core](error_code ec, tcp::socket socket) {
    if (core.stopping) return;
    if (ec) {
      log::Warn("http accept failed", {{"error", ec.message()}});
      core.accept_retry->expires_after(kAcceptRetry);
      core.accept_retry->async_wait([&core](error_code e) {
        if (!e) Accept(core);
      });
      return;
    }
    error_code e;
    const auto remote = socket.remote_endpoint(e);
    if (!e) {
      auto admission = core.connections->Admit(remote.address().to_string());
      if (admission.slot) {
        socket.set_option(tcp::no_delay(true), e);
        StartSession(core, std::move(socket), std::move(admission.slot));
      }
      // Refused: the socket closes here, at once; nothing is queued.
    }
    Accept(core);
  });
}

}  // namespace

void Server::Core::Register(const std::shared_ptr<SessionBase>& session) {
  std::lock_guard lock(sessions_mutex);
  sessions[session.get()] = session;
}

void Server::Core::Unregister(SessionBase* session) {
  std::lock_guard lock(sessions_mutex);
  sessions.erase(session);
}

void Server::Core::SpawnStream(std::function<void()> body) {
  bool run_here = false;
  {
    // `stopping` is set under this lock: either Stop() waits for this
    // thread, or the stream ends here at once (its sink is not writable).
    std::lock_guard lock(streams_mutex);
    run_here = stopping;
    if (!run_here) ++streams;
  }
  if (run_here) return body();
  std::thread([this, body = std::move(body)]() mutable {
    body();
    body = nullptr;  // what it holds goes before Stop() may proceed
    std::lock_guard lock(streams_mutex);
    --streams;
    streams_done.notify_all();
  }).detach();
}

void Server::Core::Dispatch(std::shared_ptr<Request> req, std::function<void(Response)> reply) {
  const RouteMatch match = router.Find(*req);
  const Pool pool = match.kind == RouteMatch::Kind::kFound ? match.route->pool : Pool::kApi;
  if (pool == Pool::kMonitoring && monitoring_in_flight.fetch_add(1) >= limits.max_monitoring_requests) {
    monitoring_in_flight.fetch_sub(1);
    Response res;
    AnswerError(hooks, *req, res, 503,
                "too many monitoring requests in progress (limit " + std::to_string(limits.max_monitoring_requests) +
                    ")");
    res.set_header("Retry-After", "1");
    return reply(std::move(res));
  }
  auto& workers = pool == Pool::kMonitoring ? *monitoring_pool : *api_pool;
  net::post(workers, [this, req = std::move(req), match, pool, reply = std::move(reply)]() mutable {
    Response res = HandleRequest(hooks, *req, match);
    if (pool == Pool::kMonitoring) monitoring_in_flight.fetch_sub(1);
    net::post(io, [reply = std::move(reply), res = std::move(res)]() mutable { reply(std::move(res)); });
  });
}

Server::Server() : core_(std::make_unique<Core>()) {}

Server::~Server() { Stop(); }

void Server::Get(std::string pattern, Handler handler, Pool pool) {
  core_->router.Add("GET", std::move(pattern), std::move(handler), pool);
}
void Server::Post(std::string pattern, Handler handler, Pool pool) {
  core_->router.Add("POST", std::move(pattern), std::move(handler), pool);
}
void Server::Put(std::string pattern, Handler handler, Pool pool) {
  core_->router.Add("PUT", std::move(pattern), std::move(handler), pool);
}
void Server::Patch(std::string pattern, Handler handler, Pool pool) {
  core_->router.Add("PATCH", std::move(pattern), std::move(handler), pool);
}
void Server::Delete(std::string pattern, Handler handler, Pool pool) {
  core_->router.Add("DELETE", std::move(pattern), std::move(handler), pool);
}

void Server::SetPreRoutingHandler(PreRoutingHandler handler) { core_->hooks.pre_routing = std::move(handler); }
void Server::SetErrorBodyHandler(ErrorBodyHandler handler) { core_->hooks.error_body = std::move(handler); }
void Server::SetLogger(Logger logger) { core_->hooks.logger = std::move(logger); }

uint16_t Server::port() const { return core_->port; }

bool Server::Start(const ServerOptions& options, std::string& error) {
  Core& core = *core_;
  core.limits = options.limits;
  core.connections =
      std::make_shared<ConnectionLimits>(options.limits.max_connections, options.limits.max_connections_per_address);
  if (!options.tls_cert_file.empty()) {
    core.tls = MakeTlsContext(options.tls_cert_file, options.tls_key_file, error);
    if (!core.tls) return false;
  }
  error_code ec;
  tcp::resolver resolver(core.io);
  const auto endpoints = resolver.resolve(options.host, std::to_string(options.port), tcp::resolver::passive, ec);
  const std::string where = options.host + ":" + std::to_string(options.port);
  if (ec || endpoints.empty()) {
    error = "cannot listen on " + where + ": " + (ec ? ec.message() : "no address");
    return false;
  }
  core.acceptor.emplace(core.io);
  const tcp::endpoint endpoint = *endpoints.begin();
  core.acceptor->open(endpoint.protocol(), ec);
  if (!ec) core.acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) core.acceptor->bind(endpoint, ec);
  if (!ec) core.acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "cannot listen on " + where + ": " + ec.message();
    core.acceptor.reset();
    return false;
  }
  core.port = core.acceptor->local_endpoint().port();
  core.accept_retry.emplace(core.io);
  core.monitoring_pool.emplace(options.limits.monitoring_threads);
  core.api_pool.emplace(options.limits.api_threads);
  Accept(core);
  core.io_thread = std::thread([&core] {
    auto work = net::make_work_guard(core.io);
    while (true) {
      try {
        core.io.run();
        return;
      } catch (const std::exception& e) {
        log::Error("http io thread: handler failed", {{"error", e.what()}});
      }
    }
  });
  core.started = true;
  return true;
}

void Server::Stop() {
  Core& core = *core_;
  if (!core.started) return;
  core.started = false;
  {
    std::lock_guard lock(core.streams_mutex);
    core.stopping = true;
  }
  net::post(core.io, [&core] {
    error_code ignored;
    core.acceptor->close(ignored);
    core.accept_retry->cancel();
    std::vector<std::shared_ptr<SessionBase>> open;
    {
      std::lock_guard lock(core.sessions_mutex);
      for (auto& [ptr, weak] : core.sessions) {
        if (auto session = weak.lock()) open.push_back(std::move(session));
      }
    }
    for (auto& session : open) session->Close();
  });
  {
    std::unique_lock lock(core.streams_mutex);
    core.streams_done.wait(lock, [&core] { return core.streams == 0; });
  }
  core.monitoring_pool->join();
  core.api_pool->join();
  core.io.stop();
  core.io_thread.join();
}

}  // namespace migmon::http

// Internal to http/: the state a Server shares with its sessions. Not a
// public header.
//
// Thread-safety: `io` and everything marked "io thread" are touched only on
// the io thread; the rest is safe from any thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "http/connection_limits.h"
#include "http/request_handling.h"
#include "http/server.h"

namespace migmon::http {

// What the server needs of a session: to close it from Stop().
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void Close() = 0;  // io thread
};

struct Server::Core {
  Router router;
  Hooks hooks;
  Limits limits;
  std::shared_ptr<ConnectionLimits> connections;
  std::atomic<bool> stopping{false};
  std::atomic<uint32_t> monitoring_in_flight{0};

  // Open sessions, to close them all at Stop().
  std::mutex sessions_mutex;
  std::map<SessionBase*, std::weak_ptr<SessionBase>> sessions;
  void Register(const std::shared_ptr<SessionBase>& session);
  void Unregister(SessionBase* session);

  // Stream threads running; Stop() waits for them before stopping `io`.
  std::mutex streams_mutex;
  std::condition_variable streams_done;
  uint32_t streams = 0;
  void SpawnStream(std::function<void()> body);

  std::optional<boost::asio::ssl::context> tls;
  // After everything a session uses: destroyed before it, together with the
  // handlers and sessions it still holds.
  boost::asio::io_context io{1};
  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
  std::optional<boost::asio::steady_timer> accept_retry;  // io thread
  std::optional<boost::asio::thread_pool> monitoring_pool;
  std::optional<boost::asio::thread_pool> api_pool;
  std::thread io_thread;
  uint16_t port = 0;
  bool started = false;

  // io thread: routes `req` and runs it on its pool; `reply` is then called
  // on the io thread with the answer.
  void Dispatch(std::shared_ptr<Request> req, std::function<void(Response)> reply);
};

}  // namespace migmon::http

// HTTP access to the monitor's KubeVirt-compatible API: JSON requests and
// watch streams, Bearer token auth, TLS for https:// servers.
//
// Errors are thrown as ApiError, worded for the user ("error: " + what()):
//  - kUnreachable: no HTTP answer ("cannot reach <server>: <why>");
//  - kStatus: a non-2xx answer; a Kubernetes Status body gives its message
//    (and code/reason), any other body a generic line with the HTTP code;
//  - kProtocol: a 2xx answer that is not the JSON promised.
// `Warning` response headers (Kubernetes' deprecation/validation warnings)
// go to the warning sink.
//
// Thread-safety: one ApiClient per thread; every call opens its own
// connection (the client makes a handful of calls, and a watch holds its
// connection for minutes).
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "client/server_url.h"

namespace migmon::client {

class ApiError : public std::runtime_error {
 public:
  enum class Kind { kUnreachable, kStatus, kProtocol };
  ApiError(Kind kind, int code, std::string reason, const std::string& message)
      : std::runtime_error(message), kind_(kind), code_(code), reason_(std::move(reason)) {}
  Kind kind() const { return kind_; }
  int code() const { return code_; }  // the HTTP code or the Status's code; 0 when unreachable
  const std::string& reason() const { return reason_; }  // Status reason ("NotFound", "Expired"...)

 private:
  Kind kind_;
  int code_;
  std::string reason_;
};

struct ServerConfig {
  std::string url;    // http(s)://host[:port][/path prefix]
  std::string token;  // empty: no Authorization header
  std::optional<std::string> ca_file;  // PEM bundle that signs an https server's certificate
  bool insecure_skip_tls_verify = false;
};

class ApiClient {
 public:
  // `config.url` must pass ParseServerUrl (throws std::invalid_argument).
  explicit ApiClient(ServerConfig config);

  // `path` starts with "/apis/..." (and may carry a query). A 2xx answer's
  // JSON body (null when empty).
  nlohmann::json Get(const std::string& path);
  nlohmann::json Post(const std::string& path, const nlohmann::json& body);
  nlohmann::json Delete(const std::string& path);

  enum class StreamEnd { kClosed, kStopped };
  // A GET whose 200 answer is a stream of JSON values, one per line (a
  // watch). Calls `on_line` for each; returns kStopped as soon as it
  // returns false, kClosed when the server ends the stream or sends nothing
  // for stream_idle_timeout (the caller reconnects). `on_line` must not
  // throw. Throws ApiError for no answer, a non-200 answer or a line that
  // is not JSON.
  StreamEnd Stream(const std::string& path, const std::function<bool(const nlohmann::json&)>& on_line);

  // Where the text of `Warning` headers goes (default: dropped).
  void set_warning_sink(std::function<void(const std::string&)> sink) { warning_sink_ = std::move(sink); }
  void set_stream_idle_timeout(std::chrono::seconds timeout) { stream_idle_timeout_ = timeout; }
  // The URL as the user gave it, for messages.
  const std::string& server() const { return config_.url; }

 private:
  class Connection;

  ServerConfig config_;
  ServerUrl url_;
  std::function<void(const std::string&)> warning_sink_;
  // A watch with no change for this long is reconnected: cheap, and it
  // notices a half-open connection (a server host that vanished).
  std::chrono::seconds stream_idle_timeout_{60};
};

}  // namespace migmon::client

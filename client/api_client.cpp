#include "client/api_client.h"

#include <httplib.h>

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace migmon::client {
namespace {

using nlohmann::json;

constexpr auto kConnectTimeout = std::chrono::seconds(10);
constexpr auto kRequestTimeout = std::chrono::seconds(30);
// An error body is only read for its message.
constexpr size_t kMaxErrorBody = 64 * 1024;

// httplib's connection errors say nothing of the cause (its non-blocking
// connect leaves errno at EINPROGRESS), so after one the client connects
// once more itself, blocking, for the system's reason: "Connection
// refused", "No route to host", a name that does not resolve.
std::string ProbeConnect(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0) {
    return std::string("cannot resolve ") + host + ": " + gai_strerror(rc);
  }
  std::string why = "cannot connect";
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    const int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    timeval timeout{5, 0};  // bounds a connect to a host that drops packets
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    const bool connected = connect(fd, ai->ai_addr, ai->ai_addrlen) == 0;
    const int error = errno;
    close(fd);
    if (connected) {
      why = "the connection failed (it works now: try again)";
      break;
    }
    why = std::strerror(error);
  }
  freeaddrinfo(found);
  return why;
}

// httplib 0.11 names its errors ("SSLServerVerification"); say what they mean.
std::string Why(httplib::Error error, const ServerUrl& url) {
  using E = httplib::Error;
  const bool tls = url.tls;
  switch (error) {
    case E::Connection: return ProbeConnect(url.host, url.port);
    case E::ConnectionTimeout: return "connection timed out";
    case E::BindIPAddress: return "cannot bind the local address";
    case E::Read:
      return tls ? "the connection closed or timed out before an answer"
                 : "the connection closed or timed out before an answer (is the server speaking https?)";
    case E::Write: return "cannot send the request";
    case E::SSLConnection: return "TLS handshake failed";
    case E::SSLLoadingCerts: return "cannot load the CA certificates";
    case E::SSLServerVerification:
      return "the server's certificate is not trusted (pass --ca-file with the CA that signed it, or "
             "--insecure-skip-tls-verify)";
    case E::Compression: return "cannot decompress the answer";
    case E::ExceedRedirectCount: return "too many redirects";
    case E::Canceled: return "canceled";
    default: break;
  }
  return "error " + httplib::to_string(error);
}

// The Status message of a non-2xx answer, or a line naming the HTTP code.
ApiError ErrorFromAnswer(int code, const std::string& body) {
  const json parsed = json::parse(body, nullptr, false);
  if (parsed.is_object() && parsed.value("kind", "") == "Status") {
    const auto message = parsed.find("message");
    if (message != parsed.end() && message->is_string() && !message->get<std::string>().empty()) {
      const auto status_code = parsed.find("code");
      const int effective = status_code != parsed.end() && status_code->is_number_integer() ? status_code->get<int>() : code;
      return ApiError(ApiError::Kind::kStatus, effective, parsed.value("reason", ""), message->get<std::string>());
    }
  }
  std::string text = "the server answered HTTP " + std::to_string(code);
  // A first line of a plain-text body says more than the code alone.
  std::string first_line = body.substr(0, body.find('\n'));
  if (first_line.size() > 200) first_line = first_line.substr(0, 200) + "...";
  if (!first_line.empty() && !parsed.is_object()) text += ": " + first_line;
  return ApiError(ApiError::Kind::kStatus, code, "", text);
}

// Kubernetes' Warning header: `299 - "text"`; anything else is shown whole.
std::string WarningText(const std::string& header) {
  const auto open = header.find('"');
  const auto close = header.rfind('"');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return header.substr(open + 1, close - open - 1);
  }
  return header;
}

}  // namespace

// One httplib client set up with the server's auth and TLS settings.
class ApiClient::Connection {
 public:
  Connection(const ApiClient& api, std::chrono::seconds read_timeout) : api_(api), client_(api.url_.scheme_host_port) {
    client_.set_connection_timeout(kConnectTimeout);
    client_.set_read_timeout(read_timeout);
    client_.set_write_timeout(kRequestTimeout);
    if (!api.config_.token.empty()) client_.set_bearer_token_auth(api.config_.token);
    client_.set_default_headers({{"Accept", "application/json"},
                                 {"User-Agent", std::string("migration-monitor/") + MIGMON_VERSION}});
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    if (api.config_.ca_file) client_.set_ca_cert_path(*api.config_.ca_file);
    client_.enable_server_certificate_verification(!api.config_.insecure_skip_tls_verify);
#endif
  }

  // The answer's JSON, or the ApiError it stands for.
  json Finish(const httplib::Result& result) {
    if (!result) throw Unreachable(result.error());
    Warnings(result->headers);
    if (result->status < 200 || result->status > 299) throw ErrorFromAnswer(result->status, result->body);
    if (result->body.empty()) return json();
    json parsed = json::parse(result->body, nullptr, false);
    if (parsed.is_discarded()) {
      throw ApiError(ApiError::Kind::kProtocol, result->status, "",
                     "the server's answer is not JSON (is " + api_.server() + " a migration-monitor?)");
    }
    return parsed;
  }

  ApiError Unreachable(httplib::Error error) const {
    return ApiError(ApiError::Kind::kUnreachable, 0, "",
                    "cannot reach " + api_.server() + ": " + Why(error, api_.url_));
  }

  httplib::Client& http() { return client_; }

  void Warnings(const httplib::Headers& headers) const {
    if (!api_.warning_sink_) return;
    const auto range = headers.equal_range("Warning");
    for (auto it = range.first; it != range.second; ++it) api_.warning_sink_(WarningText(it->second));
  }

 private:
  const ApiClient& api_;
  httplib::Client client_;
};

ApiClient::ApiClient(ServerConfig config) : config_(std::move(config)), url_(ParseServerUrl(config_.url)) {
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
  if (url_.tls) throw std::invalid_argument("this build has no TLS support: use an http:// server");
#endif
}

json ApiClient::Get(const std::string& path) {
  Connection c(*this, kRequestTimeout);
  return c.Finish(c.http().Get(url_.base_path + path));
}

json ApiClient::Post(const std::string& path, const json& body) {
  Connection c(*this, kRequestTimeout);
  const std::string text = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return c.Finish(c.http().Post(url_.base_path + path, text, "application/json"));
}

json ApiClient::Delete(const std::string& path) {
  Connection c(*this, kRequestTimeout);
  return c.Finish(c.http().Delete(url_.base_path + path));
}

ApiClient::StreamEnd ApiClient::Stream(const std::string& path, const std::function<bool(const json&)>& on_line) {
  Connection c(*this, stream_idle_timeout_);
  int status = 0;
  std::string error_body;
  std::string buffer;
  bool stopped = false;
  bool bad_line = false;
  // Hands every complete line to on_line; false to stop reading.
  auto drain_lines = [&](bool at_end) {
    size_t start = 0;
    for (;;) {
      size_t end = buffer.find('\n', start);
      if (end == std::string::npos) {
        if (!at_end || start >= buffer.size()) break;
        end = buffer.size();
      }
      std::string_view line(buffer.data() + start, end - start);
      start = std::min(end + 1, buffer.size());
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
      if (line.empty()) continue;
      const json value = json::parse(line, nullptr, false);
      if (value.is_discarded()) {
        bad_line = true;
        return false;
      }
      if (!on_line(value)) {
        stopped = true;
        return false;
      }
    }
    buffer.erase(0, start);
    return true;
  };
  const auto result = c.http().Get(
      url_.base_path + path, httplib::Headers{},
      [&](const httplib::Response& response) {
        status = response.status;
        c.Warnings(response.headers);
        return true;
      },
      [&](const char* data, size_t length) {
        if (status != 200) {
          error_body.append(data, length);
          return error_body.size() < kMaxErrorBody;
        }
        buffer.append(data, length);
        return drain_lines(false);
      });
  if (stopped) return StreamEnd::kStopped;
  if (bad_line) {
    throw ApiError(ApiError::Kind::kProtocol, status, "", "the server's watch stream holds a line that is not JSON");
  }
  if (status == 0) throw c.Unreachable(result.error());
  if (status != 200) throw ErrorFromAnswer(status, error_body);
  // A final line without its newline, when the server closed cleanly.
  if (!buffer.empty() && result) {
    drain_lines(true);
    if (stopped) return StreamEnd::kStopped;
    if (bad_line) {
      throw ApiError(ApiError::Kind::kProtocol, status, "", "the server's watch stream holds a line that is not JSON");
    }
  }
  return StreamEnd::kClosed;
}

}  // namespace migmon::client

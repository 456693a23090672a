// A raw TCP client for tests of the HTTP server: it sends exactly the bytes
// a test gives (malformed ones included), from a source address of the
// test's choice (127.0.0.2 and up, so slow clients are told apart), and
// reads answers with a deadline.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace migmon::testing_support {

class RawConnection {
 public:
  RawConnection(const std::string& source, uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &from.sin_addr);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    connected_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) == 0 &&
                 ::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0;
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }

  bool Send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  // Bytes until the peer closes or `timeout` passes; nullopt on timeout.
  std::optional<std::string> ReadUntilClosed(std::chrono::milliseconds timeout) {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const std::optional<std::string> some = ReadSomeBefore(deadline);
      if (!some) return std::nullopt;
      if (some->empty()) return out;  // closed (or reset)
      out += *some;
    }
  }

  // One response with a Content-Length (the connection stays open); nullopt
  // when it does not arrive whole within `timeout`.
  std::optional<std::string> ReadResponse(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const size_t head_end = pending_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const std::string head = pending_.substr(0, head_end);
        size_t length = 0;
        const size_t at = Lower(head).find("\r\ncontent-length:");
        if (at != std::string::npos) length = std::stoul(head.substr(at + 17));
        if (pending_.size() >= head_end + 4 + length) {
          std::string response = pending_.substr(0, head_end + 4 + length);
          pending_.erase(0, head_end + 4 + length);
          return response;
        }
      }
      const std::optional<std::string> some = ReadSomeBefore(deadline);
      if (!some || some->empty()) return std::nullopt;
      pending_ += *some;
    }
  }

  // Some bytes (at least one) within `timeout`; "" when closed, nullopt on timeout.
  std::optional<std::string> ReadSome(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    return n <= 0 ? std::string() : std::string(buf, static_cast<size_t>(n));
  }

 private:
  // ReadSome with what is left of `deadline`; nullopt once it has passed.
  std::optional<std::string> ReadSomeBefore(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    return ReadSome(left);
  }

  static std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string pending_;
};

// The status code of a raw response ("HTTP/1.1 404 Not Found..."), 0 if none.
inline int StatusOf(const std::string& response) {
  if (response.size() < 12 || response.rfind("HTTP/1.", 0) != 0) return 0;
  return std::stoi(response.substr(9, 3));
}

}  // namespace migmon::testing_support

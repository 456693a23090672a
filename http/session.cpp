#include "http/session.h"

#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <type_traits>

#include "http/stream_channel.h"
#include "util/log.h"

namespace migmon::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
using PlainStream = tcp::socket;
using TlsStream = net::ssl::stream<tcp::socket>;

// How long a closing connection waits for the client's last bytes or TLS
// close_notify, so that an error answer is not lost to a reset.
constexpr std::chrono::milliseconds kLinger{1000};

template <class Stream>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Server::Core& core, Stream stream, std::unique_ptr<ConnectionSlot> slot)
      : core_(core), stream_(std::move(stream)), slot_(std::move(slot)), timer_(core.io) {}
  ~Session() override { core_.Unregister(this); }

  void Start() {
    core_.Register(this->shared_from_this());
    if constexpr (kTls) {
      Arm(core_.limits.head_timeout);
      stream_.async_handshake(net::ssl::stream_base::server, [self = this->shared_from_this()](error_code ec) {
        if (ec) return self->Close();
        self->ReadHead();
      });
    } else {
      ReadHead();
    }
  }

  void Close() override {
    if (closed_) return;
    closed_ = true;
    Disarm();
    error_code ignored;
    Socket().shutdown(tcp::socket::shutdown_both, ignored);
    Socket().close(ignored);
    if (channel_) channel_->MarkGone();
  }

 private:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  tcp::socket& Socket() {
    if constexpr (kTls) {
      return stream_.next_layer();
    } else {
      return stream_;
    }
  }

  // One deadline at a time: when it passes, the connection is closed, which
  // cancels whatever operation was waiting.
  void Arm(std::chrono::milliseconds after) {
    const uint64_t generation = ++timer_generation_;
    timer_.expires_after(after);
    timer_.async_wait([self = this->shared_from_this(), generation](error_code ec) {
      if (!ec && generation == self->timer_generation_) self->Close();
    });
  }
  void Disarm() {
    ++timer_generation_;
    timer_.cancel();
  }

  // A kept-alive connection waits up to idle_timeout for its next request's
  // first byte; from then on (and on a new connection from the start) the
  // whole head must arrive within head_timeout.
  void ReadHead() {
    if (closed_) return;
    parser_.emplace();
    parser_->header_limit(core_.limits.max_head_bytes);
    parser_->body_limit(core_.limits.max_body_bytes);
    if (first_request_ || buffer_.size() > 0) {
      first_request_ = false;
      return ReadHeadNow();
    }
    Arm(core_.limits.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = this->shared_from_this()](error_code ec, size_t n) {
      if (ec || self->closed_) return self->Close();
      self->buffer_.commit(n);
      self->ReadHeadNow();
    });
  }

  void ReadHeadNow() {
    Arm(core_.limits.head_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_, [self = this->shared_from_this()](error_code ec, size_t) {
      self->OnHead(ec);
    });
  }

  void OnHead(error_code ec) {
    if (closed_) return;
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::ssl::error::stream_truncated) {
      return Close();
    }
    if (ec) return ReadFailed(ec);
    const auto& head = parser_->get();
    version_ = head.version();
    if (version_ >= 11 && head.find(bhttp::field::host) == head.end()) {
      return AnswerError(400, "an HTTP/1.1 request must have a Host header");
    }
    if (parser_->is_done()) return Dispatch();
    Arm(core_.limits.body_timeout);
    if (!beast::iequals(head[bhttp::field::expect], "100-continue")) return ReadBody();
    // The client waits for this before it sends the body (curl does, for
    // larger bodies); one over the limit was answered 413 above instead.
    auto interim = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, version_);
    bhttp::async_write(stream_, *interim, [self = this->shared_from_this(), interim](error_code e, size_t) {
      if (e || self->closed_) return self->Close();
      self->ReadBody();
    });
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](error_code e, size_t) {
      if (self->closed_) return;
      if (e) return self->ReadFailed(e);
      self->Dispatch();
    });
  }

  void ReadFailed(error_code ec) {
    if (ec == bhttp::error::header_limit) {
      return AnswerError(431, "request head larger than the limit of " +
                                  std::to_string(core_.limits.max_head_bytes) + " bytes");
    }
    if (ec == bhttp::error::body_limit) {
      return AnswerError(413, "Request entity too large: limit is " + std::to_string(core_.limits.max_body_bytes) +
                                  " bytes");
    }
    if (ec == net::error::operation_aborted) return Close();
    AnswerError(400, "malformed request: " + ec.message());
  }

  // The request as far as its head was read, for an error answer.
  std::shared_ptr<Request> MakeRequest(bool with_body) {
    auto req = std::make_shared<Request>();
    error_code ignored;
    const auto remote = Socket().remote_endpoint(ignored);
    const auto local = Socket().local_endpoint(ignored);
    req->remote_addr = remote.address().to_string();
    req->remote_port = remote.port();
    req->local_addr = local.address().to_string();
    req->local_port = local.port();
    if (!parser_ || !parser_->is_header_done()) return req;
    auto& msg = parser_->get();
    req->method = std::string(msg.method_string());
    req->target = std::string(msg.target());
    const size_t query = req->target.find('?');
    req->path = PercentDecode(std::string_view(req->target).substr(0, query), false);
    if (query != std::string::npos) req->params = ParseQuery(std::string_view(req->target).substr(query + 1));
    for (const auto& field : msg) req->headers.emplace(std::string(field.name_string()), std::string(field.value()));
    if (with_body) req->body = std::move(msg.body());
    return req;
  }

  void Dispatch() {
    Disarm();
    keep_alive_ = parser_->get().keep_alive();
    auto req = MakeRequest(true);
    head_only_ = req->method == "HEAD";
    core_.Dispatch(std::move(req), [self = this->shared_from_this()](Response res) { self->Answer(std::move(res)); });
  }

  void AnswerError(int code, std::string message) {
    const auto req = MakeRequest(false);
    head_only_ = req->method == "HEAD";
    keep_alive_ = false;  // the rest of the stream cannot be trusted
    Response res;
    http::AnswerError(core_.hooks, *req, res, code, std::move(message));
    Answer(std::move(res));
  }

  template <class Message>
  void SetHead(Message& msg, const Response& res) {
    msg.version(version_);
    msg.result(static_cast<unsigned>(res.status));
    for (const auto& [name, value] : res.headers) msg.insert(name, value);
  }

  void Answer(Response res) {
    if (closed_) {
      if (res.provider_done) res.provider_done(false);
      return;
    }
    if (core_.stopping) keep_alive_ = false;
    if (res.provider) return StartStream(std::move(res));
    auto msg = std::make_shared<bhttp::response<bhttp::string_body>>();
    SetHead(*msg, res);
    msg->keep_alive(keep_alive_);
    if (head_only_) {
      msg->content_length(res.body.size());
    } else {
      msg->body() = std::move(res.body);
      msg->prepare_payload();
    }
    Arm(core_.limits.write_timeout);
    bhttp::async_write(stream_, *msg, [self = this->shared_from_this(), msg](error_code ec, size_t) {
      self->Disarm();
      if (ec || self->closed_) return self->Close();
      if (!self->keep_alive_) return self->Linger();
      self->ReadHead();
    });
  }

  // A chunked stream: the head here, then the provider on a thread of its
  // own, each chunk written back here. The connection closes at its end.
  void StartStream(Response res) {
    keep_alive_ = false;
    auto head = std::make_shared<bhttp::response<bhttp::empty_body>>();
    SetHead(*head, res);
    head->keep_alive(false);
    head->chunked(true);
    auto serializer = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*head);
    Arm(core_.limits.write_timeout);
    bhttp::async_write_header(
        stream_, *serializer,
        [self = this->shared_from_this(), head, serializer, res = std::move(res)](error_code ec, size_t) mutable {
          self->Disarm();
          if (ec || self->closed_) {
            self->Close();
            if (res.provider_done) res.provider_done(false);
            return;
          }
          self->RunStream(std::move(res));
        });
  }

  void RunStream(Response res) {
    std::weak_ptr<Session> weak = this->shared_from_this();
    net::io_context& io = core_.io;
    channel_ = std::make_shared<StreamChannel>(
        [weak, &io](std::shared_ptr<const std::string> data, std::function<void(bool)> done) {
          net::post(io, [weak, data = std::move(data), done = std::move(done)] {
            if (auto self = weak.lock()) return self->WriteChunk(data, done);
            done(false);
          });
        },
        core_.stopping, core_.limits.write_timeout + std::chrono::seconds(5));
    WatchPeer();
    core_.SpawnStream([self = this->shared_from_this(), channel = channel_, res = std::move(res)]() mutable {
      const bool ok = RunProvider(res.provider, *channel);
      if (res.provider_done) {
        try {
          res.provider_done(ok);
        } catch (const std::exception& e) {
          log::Error("http stream end failed", {{"error", e.what()}});
        }
      }
      net::io_context& io_context = self->core_.io;
      net::post(io_context, [self = std::move(self), ok] { self->FinishStream(ok); });
    });
  }

  // While streaming, a read notices a client that closed its end at once.
  void WatchPeer() {
    stream_.async_read_some(net::buffer(peer_scratch_), [self = this->shared_from_this()](error_code ec, size_t) {
      if (ec) {
        if (self->channel_) self->channel_->MarkGone();
        return;
      }
      if (!self->closed_) self->WatchPeer();
    });
  }

  void WriteChunk(const std::shared_ptr<const std::string>& data, const std::function<void(bool)>& done) {
    if (closed_) return done(false);
    Arm(core_.limits.write_timeout);
    net::async_write(stream_, bhttp::make_chunk(net::buffer(*data)),
                     [self = this->shared_from_this(), data, done](error_code ec, size_t) {
                       self->Disarm();
                       if (ec) self->Close();
                       done(!ec);
                     });
  }

  void FinishStream(bool ok) {
    channel_.reset();
    if (closed_) return;
    if (!ok) return Close();
    Arm(core_.limits.write_timeout);
    // Closed right after the last chunk: the peer watch still reads, so no
    // second read may wait for the client's close here.
    net::async_write(stream_, bhttp::make_chunk_last(), [self = this->shared_from_this()](error_code, size_t) {
      self->Close();
    });
  }

  // Ends the connection gracefully: TLS close_notify, or a half close and
  // the client's remaining bytes read away, each for at most kLinger.
  void Linger() {
    if (closed_) return;
    Arm(kLinger);
    if constexpr (kTls) {
      stream_.async_shutdown([self = this->shared_from_this()](error_code) { self->Close(); });
    } else {
      error_code ignored;
      Socket().shutdown(tcp::socket::shutdown_send, ignored);
      Drain();
    }
  }
  void Drain() {
    stream_.async_read_some(net::buffer(peer_scratch_), [self = this->shared_from_this()](error_code ec, size_t) {
      if (ec || self->closed_) return self->Close();
      self->Drain();
    });
  }

  Server::Core& core_;
  Stream stream_;
  std::unique_ptr<ConnectionSlot> slot_;
  net::steady_timer timer_;
  uint64_t timer_generation_ = 0;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<StreamChannel> channel_;
  std::array<char, 1024> peer_scratch_{};
  unsigned version_ = 11;
  bool first_request_ = true;
  bool keep_alive_ = false;
  bool head_only_ = false;
  bool closed_ = false;
};

}  // namespace

void StartSession(Server::Core& core, tcp::socket socket, std::unique_ptr<ConnectionSlot> slot) {
  if (core.tls) {
    std::make_shared<Session<TlsStream>>(core, TlsStream(std::move(socket), *core.tls), std::move(slot))->Start();
  } else {
    std::make_shared<Session<PlainStream>>(core, std::move(socket), std::move(slot))->Start();
  }
}

}  // namespace migmon::http

// The HTTP server (http/) for real on 127.0.0.1: limits, deadlines, HTTP
// rules, pools and streams, driven by raw sockets from 127.0.0.x sources.
#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/unit/raw_http.h"

namespace migmon::http {
namespace {

using namespace std::chrono_literals;
using testing_support::RawConnection;
using testing_support::StatusOf;
using Clock = std::chrono::steady_clock;

std::string Get(const std::string& path, const std::string& extra = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

// A gate handlers wait on until the test opens it.
class Gate {
 public:
  void Wait() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  bool AwaitWaiting(int n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return waiting_ >= n; });
  }
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int waiting_ = 0;
  bool open_ = false;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Get("/metrics", [](const Request&, Response& res) { res.set_content("m 1\n", "text/plain"); },
                Pool::kMonitoring);
    server_.Get("/healthz", [](const Request&, Response& res) { res.set_content("ok\n", "text/plain"); },
                Pool::kMonitoring);
    server_.Get("/things/([^/]+)", [](const Request& req, Response& res) {
      res.set_content("thing " + req.matches[1].str() + " " + req.get_param_value("q"), "text/plain");
    });
    server_.Delete("/things/([^/]+)", [](const Request&, Response& res) { res.set_content("gone", "text/plain"); });
    server_.Post("/things", [](const Request& req, Response& res) {
      res.status = 201;
      res.set_content("got " + std::to_string(req.body.size()), "text/plain");
    });
    server_.Get("/throws", [](const Request&, Response&) -> void { throw std::runtime_error("boom"); });
    server_.SetErrorBodyHandler([](const Request&, Response& res, std::string_view message) {
      res.set_content("{\"code\":" + std::to_string(res.status) + ",\"message\":\"" + std::string(message) + "\"}",
                      "application/json");
    });
  }
  void TearDown() override { server_.Stop(); }

  void Start(const Limits& limits = {}) {
    ServerOptions options;
    options.port = 0;
    options.limits = limits;
    std::string error;
    ASSERT_TRUE(server_.Start(options, error)) << error;
  }

  // One request on a fresh connection from `source`, answered in full.
  std::string Exchange(const std::string& request, const std::string& source = "127.0.0.1",
                       std::chrono::milliseconds timeout = 3s) {
    RawConnection c(source, server_.port());
    EXPECT_TRUE(c.connected());
    c.Send(request);
    return c.ReadResponse(timeout).value_or("");
  }

  Server server_;
};

TEST_F(HttpServerTest, ServesRoutesWithCapturesAndQuery) {
  Start();
  const std::string res = Exchange(Get("/things/a%20b?q=x+y"));
  EXPECT_EQ(StatusOf(res), 200);
  EXPECT_NE(res.find("thing a b x y"), std::string::npos) << res;
}

TEST_F(HttpServerTest, KeepAliveConnectionServesSeveralRequests) {
  Start();
  RawConnection c("127.0.0.1", server_.port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.Send(Get("/metrics")));
    const auto res = c.ReadResponse(2s);
    ASSERT_TRUE(res) << "request " << i;
    EXPECT_EQ(StatusOf(*res), 200);
  }
}

TEST_F(HttpServerTest, SlowHeadersNeitherStarveMonitoringNorApi) {
  Start();
  // 200 connections from four addresses (50 each, under the per-address
  // cap), each sending one byte of its head every 3 s.
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 200; ++i) {
    slow.push_back(std::make_unique<RawConnection>("127.0.0." + std::to_string(2 + i % 4), server_.port()));
    ASSERT_TRUE(slow.back()->connected()) << i;
  }
  const std::string head = Get("/metrics");
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    for (size_t byte = 0; !stop && byte < head.size(); ++byte) {
      for (auto& c : slow) c->Send(head.substr(byte, 1));
      for (int i = 0; i < 30 && !stop; ++i) std::this_thread::sleep_for(100ms);
    }
  });
  const auto until = Clock::now() + 7s;
  int answered = 0;
  while (Clock::now() < until) {
    for (const char* path : {"/metrics", "/healthz", "/things/x"}) {
      const auto start = Clock::now();
      const std::string res = Exchange(Get(path), "127.0.0.1", 2s);
      EXPECT_EQ(StatusOf(res), 200) << path;
      EXPECT_LT(Clock::now() - start, 1s) << path;
      ++answered;
    }
    std::this_thread::sleep_for(200ms);
  }
  stop = true;
  trickle.join();
  EXPECT_GT(answered, 20);
}

TEST_F(HttpServerTest, BusyApiHandlersDoNotDelayMonitoring) {
  Gate gate;
  server_.Get("/blocked", [&gate](const Request&, Response& res) {
    gate.Wait();
    res.set_content("late", "text/plain");
  });
  Limits limits;
  limits.api_threads = 2;
  Start(limits);
  std::vector<std::unique_ptr<RawConnection>> busy;
  for (int i = 0; i < 4; ++i) {
    busy.push_back(std::make_unique<RawConnection>("127.0.0.2", server_.port()));
    busy.back()->Send(Get("/blocked"));
  }
  ASSERT_TRUE(gate.AwaitWaiting(2, 3s));
  const auto start = Clock::now();
  EXPECT_EQ(StatusOf(Exchange(Get("/metrics"))), 200);
  EXPECT_LT(Clock::now() - start, 1s);
  gate.Open();
  for (auto& c : busy) EXPECT_EQ(StatusOf(c->ReadResponse(3s).value_or("")), 200);
}

TEST_F(HttpServerTest, MonitoringRequestsBeyondTheCapGet503) {
  Gate gate;
  server_.Get("/slow-metrics", [&gate](const Request&, Response& res) {
    gate.Wait();
    res.set_content("m 1\n", "text/plain");
  }, Pool::kMonitoring);
  Limits limits;
  limits.max_monitoring_requests = 2;
  limits.monitoring_threads = 2;
  Start(limits);
  RawConnection a("127.0.0.2", server_.port());
  RawConnection b("127.0.0.3", server_.port());
  a.Send(Get("/slow-metrics"));
  b.Send(Get("/slow-metrics"));
  ASSERT_TRUE(gate.AwaitWaiting(2, 3s));
  const std::string over = Exchange(Get("/metrics"));
  EXPECT_EQ(StatusOf(over), 503) << over;
  EXPECT_NE(over.find("Retry-After: 1"), std::string::npos) << over;
  gate.Open();
  EXPECT_EQ(StatusOf(a.ReadResponse(3s).value_or("")), 200);
  EXPECT_EQ(StatusOf(b.ReadResponse(3s).value_or("")), 200);
  EXPECT_EQ(StatusOf(Exchange(Get("/metrics"))), 200);
}

TEST_F(HttpServerTest, ConnectionsPerAddressAreCapped) {
  Limits limits;
  limits.max_connections_per_address = 4;
  Start(limits);
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 4; ++i) held.push_back(std::make_unique<RawConnection>("127.0.0.2", server_.port()));
  std::this_thread::sleep_for(200ms);  // accepted and counted
  RawConnection over("127.0.0.2", server_.port());
  over.Send(Get("/healthz"));
  const auto start = Clock::now();
  EXPECT_EQ(over.ReadUntilClosed(2s), std::optional<std::string>(""));
  EXPECT_LT(Clock::now() - start, 1s);
  // Another address is served, and so is the first once a slot is free.
  EXPECT_EQ(StatusOf(Exchange(Get("/healthz"), "127.0.0.3")), 200);
  held.pop_back();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(StatusOf(Exchange(Get("/healthz"), "127.0.0.2")), 200);
}

TEST_F(HttpServerTest, ConnectionsInTotalAreCapped) {
  Limits limits;
  limits.max_connections = 6;
  Start(limits);
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 6; ++i) {
    held.push_back(std::make_unique<RawConnection>("127.0.0." + std::to_string(2 + i), server_.port()));
  }
  std::this_thread::sleep_for(200ms);
  RawConnection over("127.0.0.20", server_.port());
  over.Send(Get("/healthz"));
  EXPECT_EQ(over.ReadUntilClosed(2s), std::optional<std::string>(""));
  held.clear();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(StatusOf(Exchange(Get("/healthz"), "127.0.0.20")), 200);
}

TEST_F(HttpServerTest, SlowHeadIsClosedAtTheHeadDeadline) {
  Limits limits;
  limits.head_timeout = 600ms;
  Start(limits);
  RawConnection c("127.0.0.2", server_.port());
  const auto start = Clock::now();
  c.Send("GET /metrics HTTP/1.1\r\nHo");
  std::this_thread::sleep_for(300ms);
  c.Send("st: x\r\n");  // still trickling: the deadline is for the whole head
  EXPECT_TRUE(c.ReadUntilClosed(3s).has_value());
  const auto took = Clock::now() - start;
  EXPECT_GE(took, 500ms);
  EXPECT_LT(took, 2s);
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  Limits limits;
  limits.idle_timeout = 500ms;
  Start(limits);
  RawConnection c("127.0.0.2", server_.port());
  c.Send(Get("/healthz"));
  ASSERT_TRUE(c.ReadResponse(2s));
  const auto start = Clock::now();
  EXPECT_EQ(c.ReadUntilClosed(3s), std::optional<std::string>(""));
  EXPECT_LT(Clock::now() - start, 2s);
}

TEST_F(HttpServerTest, HeadOverTheLimitIs431) {
  Limits limits;
  limits.max_head_bytes = 1024;
  Start(limits);
  const std::string res = Exchange(Get("/healthz", "X-Big: " + std::string(2000, 'a') + "\r\n"));
  EXPECT_EQ(StatusOf(res), 431) << res;
}

TEST_F(HttpServerTest, ChunkedBodyOverTheLimitIs413NamingTheLimit) {
  Limits limits;
  limits.max_body_bytes = 1024;
  Start(limits);
  std::string req = "POST /things HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) req += "200\r\n" + std::string(512, 'a') + "\r\n";
  req += "0\r\n\r\n";
  const std::string res = Exchange(req);
  EXPECT_EQ(StatusOf(res), 413) << res;
  EXPECT_NE(res.find("limit is 1024 bytes"), std::string::npos) << res;
  // Under the limit, chunked is read in full.
  const std::string small = Exchange("POST /things HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                     "5\r\nhello\r\n0\r\n\r\n");
  EXPECT_EQ(StatusOf(small), 201) << small;
  EXPECT_NE(small.find("got 5"), std::string::npos);
}

TEST_F(HttpServerTest, ExpectContinueGets100BeforeTheBody) {
  Start();
  RawConnection c("127.0.0.1", server_.port());
  c.Send("POST /things HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  const auto interim = c.ReadSome(1s);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->rfind("HTTP/1.1 100 Continue\r\n", 0), 0u) << *interim;
  c.Send("hello");
  const std::string res = c.ReadResponse(2s).value_or("");
  EXPECT_EQ(StatusOf(res), 201) << res;
  EXPECT_NE(res.find("got 5"), std::string::npos) << res;
}

TEST_F(HttpServerTest, ContentLengthOverTheLimitIs413AtOnce) {
  Limits limits;
  limits.max_body_bytes = 1024;
  Start(limits);
  const auto start = Clock::now();
  const std::string res = Exchange("POST /things HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
  EXPECT_EQ(StatusOf(res), 413) << res;
  EXPECT_LT(Clock::now() - start, 1s);
}

TEST_F(HttpServerTest, TwoDifferentContentLengthsAre400) {
  Start();
  const std::string res =
      Exchange("POST /things HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_EQ(StatusOf(res), 400) << res;
}

TEST_F(HttpServerTest, NegativeOrNonNumericContentLengthIs400AtOnce) {
  Start();
  for (const char* length : {"-1", "abc", "1e3"}) {
    const auto start = Clock::now();
    const std::string res =
        Exchange(std::string("POST /things HTTP/1.1\r\nHost: x\r\nContent-Length: ") + length + "\r\n\r\n");
    EXPECT_EQ(StatusOf(res), 400) << length << ": " << res;
    EXPECT_LT(Clock::now() - start, 1s) << length;
  }
}

TEST_F(HttpServerTest, ContentLengthWithChunkedIs400) {
  Start();
  // Either order: a request that two parsers could frame differently.
  for (const std::string fields : {"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                                   "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"}) {
    const std::string res = Exchange("POST /things HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n5\r\nhello\r\n0\r\n\r\n");
    EXPECT_EQ(StatusOf(res), 400) << fields << res;
  }
}

TEST_F(HttpServerTest, Http11WithoutHostIs400) {
  Start();
  EXPECT_EQ(StatusOf(Exchange("GET /healthz HTTP/1.1\r\n\r\n")), 400);
  // HTTP/1.0 has no Host requirement.
  RawConnection c("127.0.0.1", server_.port());
  c.Send("GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(StatusOf(c.ReadUntilClosed(2s).value_or("")), 200);
}

TEST_F(HttpServerTest, KnownPathWithAnotherMethodIs405WithAllow) {
  Start();
  const std::string post = Exchange("POST /things/a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(StatusOf(post), 405) << post;
  EXPECT_NE(post.find("Allow: DELETE, GET, HEAD"), std::string::npos) << post;
  EXPECT_NE(post.find("\"code\":405"), std::string::npos) << post;  // the error body hook's
  const std::string options = Exchange("OPTIONS /things HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(StatusOf(options), 405) << options;
  EXPECT_NE(options.find("Allow: POST"), std::string::npos) << options;
  const std::string unknown = Exchange(Get("/nothing/here"));
  EXPECT_EQ(StatusOf(unknown), 404) << unknown;
  EXPECT_NE(unknown.find("\"code\":404"), std::string::npos) << unknown;
}

TEST_F(HttpServerTest, HeadIsAnsweredByTheGetRouteWithoutBody) {
  Start();
  RawConnection c("127.0.0.1", server_.port());
  c.Send("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto head = c.ReadSome(2s);
  ASSERT_TRUE(head);
  EXPECT_EQ(StatusOf(*head), 200);
  EXPECT_NE(head->find("Content-Length: 4"), std::string::npos) << *head;
  EXPECT_EQ(head->find("m 1"), std::string::npos) << *head;
}

TEST_F(HttpServerTest, HandlerExceptionIs500AndServingGoesOn) {
  Start();
  const std::string res = Exchange(Get("/throws"));
  EXPECT_EQ(StatusOf(res), 500) << res;
  EXPECT_NE(res.find("boom"), std::string::npos) << res;
  EXPECT_EQ(StatusOf(Exchange(Get("/healthz"))), 200);
}

TEST_F(HttpServerTest, PreRoutingCanAnswerFirst) {
  server_.SetPreRoutingHandler([](const Request& req, Response& res) {
    if (req.get_header_value("Authorization") == "Bearer t") return PreRouting::kContinue;
    res.status = 401;
    res.set_content("no", "text/plain");
    return PreRouting::kHandled;
  });
  Start();
  EXPECT_EQ(StatusOf(Exchange(Get("/things/a"))), 401);
  EXPECT_EQ(StatusOf(Exchange(Get("/nothing"))), 401);
  EXPECT_EQ(StatusOf(Exchange(Get("/things/a", "Authorization: Bearer t\r\n"))), 200);
}

// A stream that writes a line every 50 ms until the client goes away.
struct Ticker {
  std::atomic<int> ended{0};
  std::atomic<bool> success{true};
  void Install(Server& server) {
    server.Get("/stream", [this](const Request&, Response& res) {
      res.set_chunked_content_provider(
          "application/json",
          [](size_t, DataSink& sink) {
            std::this_thread::sleep_for(50ms);
            return sink.write("{\"tick\":1}\n", 11);
          },
          [this](bool ok) {
            success = ok;
            ++ended;
          });
    });
  }
};

TEST_F(HttpServerTest, StreamsDoNotHoldTheApiPoolAndEndWhenTheClientLeaves) {
  Ticker ticker;
  ticker.Install(server_);
  Limits limits;
  limits.api_threads = 1;
  Start(limits);
  std::vector<std::unique_ptr<RawConnection>> streams;
  for (int i = 0; i < 3; ++i) {
    streams.push_back(std::make_unique<RawConnection>("127.0.0.2", server_.port()));
    streams.back()->Send(Get("/stream"));
    const auto first = streams.back()->ReadSome(2s);
    ASSERT_TRUE(first && !first->empty()) << i;
    EXPECT_NE(first->find("Transfer-Encoding: chunked"), std::string::npos) << *first;
  }
  // Three streams open and one API thread: a short request still answers.
  const auto start = Clock::now();
  EXPECT_EQ(StatusOf(Exchange(Get("/things/a"))), 200);
  EXPECT_LT(Clock::now() - start, 1s);
  EXPECT_EQ(ticker.ended, 0);
  streams.clear();  // the clients go away
  const auto deadline = Clock::now() + 3s;
  while (ticker.ended < 3 && Clock::now() < deadline) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(ticker.ended, 3);
  EXPECT_FALSE(ticker.success);
}

TEST_F(HttpServerTest, StreamEndsWithTheLastChunk) {
  server_.Get("/lines", [](const Request&, Response& res) {
    auto left = std::make_shared<int>(3);
    res.set_chunked_content_provider("text/plain", [left](size_t, DataSink& sink) {
      if ((*left)-- == 0) {
        sink.done();
        return true;
      }
      return sink.write("line\n", 5);
    });
  });
  Start();
  RawConnection c("127.0.0.1", server_.port());
  c.Send(Get("/lines"));
  const std::string all = c.ReadUntilClosed(3s).value_or("");
  EXPECT_EQ(StatusOf(all), 200) << all;
  EXPECT_NE(all.find("5\r\nline\n\r\n5\r\nline\n\r\n5\r\nline\n\r\n0\r\n\r\n"), std::string::npos) << all;
}

TEST_F(HttpServerTest, StopEndsOpenStreamsAndConnections) {
  Ticker ticker;
  ticker.Install(server_);
  Start();
  RawConnection stream("127.0.0.2", server_.port());
  stream.Send(Get("/stream"));
  ASSERT_TRUE(stream.ReadSome(2s));
  RawConnection idle("127.0.0.3", server_.port());
  const auto start = Clock::now();
  server_.Stop();
  EXPECT_LT(Clock::now() - start, 3s);
  EXPECT_EQ(ticker.ended, 1);
  EXPECT_TRUE(idle.ReadUntilClosed(2s).has_value());
}

}  // namespace
}  // namespace migmon::http

// Internal to http/: the DataSink a streaming provider writes to from its
// own thread. Each write is handed to the io thread (which owns the socket)
// and waited for, so a provider never runs ahead of a slow client and a
// client that went away is seen at the next write.
//
// Thread-safety: write/is_writable/done from the stream thread; MarkGone
// from the io thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "http/message.h"

namespace migmon::http {

class StreamChannel final : public DataSink {
 public:
  // `write_on_io(data, done)` must arrange for `data` to be written on the io
  // thread and `done(ok)` to be called there once it is (or cannot be).
  using WriteOnIo = std::function<void(std::shared_ptr<const std::string>, std::function<void(bool)>)>;

  StreamChannel(WriteOnIo write_on_io, const std::atomic<bool>& stopping, std::chrono::milliseconds write_wait);

  bool write(const char* data, size_t size) override;
  bool is_writable() const override;
  void done() override { done_ = true; }

  bool finished() const { return done_; }
  size_t written() const { return written_; }
  void MarkGone() { gone_ = true; }

 private:
  WriteOnIo write_on_io_;
  const std::atomic<bool>& stopping_;
  const std::chrono::milliseconds write_wait_;
  std::atomic<bool> gone_{false};
  std::atomic<bool> done_{false};
  size_t written_ = 0;
};

// Runs `provider` on `channel` until it ends; true when it ended by done().
// An exception from the provider ends the stream (logged), never the thread.
bool RunProvider(const ContentProvider& provider, StreamChannel& channel);

}  // namespace migmon::http

#include "http/stream_channel.h"

#include <future>

#include "util/log.h"

namespace migmon::http {

StreamChannel::StreamChannel(WriteOnIo write_on_io, const std::atomic<bool>& stopping,
                             std::chrono::milliseconds write_wait)
    : write_on_io_(std::move(write_on_io)), stopping_(stopping), write_wait_(write_wait) {}

bool StreamChannel::is_writable() const { return !gone_ && !done_ && !stopping_; }

bool StreamChannel::write(const char* data, size_t size) {
  if (!is_writable()) return false;
  auto result = std::make_shared<std::promise<bool>>();
  std::future<bool> written = result->get_future();
  write_on_io_(std::make_shared<const std::string>(data, size), [result](bool ok) { result->set_value(ok); });
  // The io thread's own write deadline answers first; this only guards
  // against an io thread that is no longer running.
  if (written.wait_for(write_wait_) != std::future_status::ready || !written.get()) {
    gone_ = true;
    return false;
  }
  written_ += size;
  return true;
}

bool RunProvider(const ContentProvider& provider, StreamChannel& channel) {
  try {
    while (!channel.finished()) {
      if (!channel.is_writable()) return false;
      if (!provider(channel.written(), channel)) return false;
    }
    return true;
  } catch (const std::exception& e) {
    log::Error("http stream failed", {{"error", e.what()}});
  } catch (...) {
    log::Error("http stream failed", {{"error", "unknown error"}});
  }
  return false;
}

}  // namespace migmon::http

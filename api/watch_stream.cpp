#include "api/watch_stream.h"

#include <memory>

#include "api/k8s/table.h"
#include "util/log.h"

namespace migmon::api {

using http::Response;
using nlohmann::json;

namespace {

constexpr auto kHeartbeatEvery = std::chrono::seconds(5);

}  // namespace

std::string WatchLine(std::string_view type, json object) {
  return api::k8s::MakeWatchEvent(type, std::move(object)).dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string WatchLineOfText(std::string_view type, std::string_view object_json) {
  // MakeWatchEvent's keys in the order dump() writes them: "object", then "type".
  std::string line;
  line.reserve(object_json.size() + type.size() + 24);
  line.append("{\"object\":").append(object_json).append(",\"type\":\"").append(type).append("\"}\n");
  return line;
}

void StreamWatch(Response& res, const std::string& content_type, std::deque<std::string> first,
                 std::chrono::steady_clock::time_point deadline, WatchProducer produce, std::function<void()> release) {
  struct Stream {
    std::deque<std::string> pending;
    std::chrono::steady_clock::time_point deadline;
    WatchProducer produce;
    bool done = false;
    std::chrono::steady_clock::time_point last_write;
  };
  auto st = std::make_shared<Stream>(Stream{std::move(first), deadline, std::move(produce), false, {}});
  st->last_write = std::chrono::steady_clock::now();
  res.set_chunked_content_provider(
      content_type,
      [st](size_t, http::DataSink& sink) {
        // The server would end the stream on an exception too; this logs it as a watch's.
        try {
          if (!sink.is_writable()) return false;
          const auto now = std::chrono::steady_clock::now();
          if (!st->pending.empty()) {
            const std::string line = std::move(st->pending.front());
            st->pending.pop_front();
            st->last_write = now;
            return sink.write(line.data(), line.size());
          }
          if (st->done || now >= st->deadline) {
            sink.done();
            return true;
          }
          if (now - st->last_write >= kHeartbeatEvery) {
            // A bare newline between events (JSON stream readers skip it): a
            // client that went away fails this write and frees its slot.
            st->last_write = now;
            return sink.write("\n", 1);
          }
          st->produce(st->pending, st->done);
          return true;
        } catch (const std::exception& e) {
          log::Error("watch stream failed", {{"error", e.what()}});
          return false;
        }
      },
      [release = std::move(release)](bool) { release(); });
}

}  // namespace migmon::api

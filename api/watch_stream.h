// A Kubernetes watch as a chunked HTTP response: one JSON event per line.
// StreamWatch sends `first`, then whatever `produce` adds, until `produce`
// says done, the deadline passes or the client goes away; a bare newline
// every 5 s without events finds a client that left, so its slot is freed.
// `release` runs once when the stream ends, however it ends.
//
// Thread-safety: the stream runs on the thread the HTTP server gives the
// response; `produce` is called only from it, one call at a time, and may
// block up to kWatchWait.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <string>
#include <string_view>

#include "http/server.h"

namespace migmon::api {

// How long one call of a producer may wait for the next event.
inline constexpr auto kWatchWait = std::chrono::milliseconds(500);

// Appends lines to `pending`; sets `done` to end the stream.
using WatchProducer = std::function<void(std::deque<std::string>& pending, bool& done)>;

void StreamWatch(http::Response& res, const std::string& content_type, std::deque<std::string> first,
                 std::chrono::steady_clock::time_point deadline, WatchProducer produce, std::function<void()> release);

// One event line: {"type": type, "object": object} and a newline. Invalid
// UTF-8 (a domain name can hold any bytes) is replaced, never thrown on.
std::string WatchLine(std::string_view type, nlohmann::json object);
// The same line for an object given as its JSON text (as the store keeps it).
std::string WatchLineOfText(std::string_view type, std::string_view object_json);

}  // namespace migmon::api

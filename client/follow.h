// Following objects as a Kubernetes informer does: list (or get) once, then
// watch from the list's resourceVersion, and on every reconnect resume from
// the last resourceVersion seen, so no change is missed or repeated.
//  - The server's watch starts "from now" without a resourceVersion, so the
//    current state always comes from the list, delivered as listed ADDED
//    events before any watched one.
//  - A stream that ends (server timeout, idle connection) is reopened at
//    once from the last resourceVersion (BOOKMARKs advance it too).
//  - 410 Gone/Expired (the server no longer holds events that old, as an
//    HTTP answer or an ERROR event) lists again; objects known before and
//    missing from the new list are delivered as DELETED, so the caller's
//    picture stays whole.
//  - No answer from the server: retried after `backoff`, up to
//    `max_failures` attempts in a row, then the ApiError is thrown.
//  - Other ERROR events and error answers are thrown as ApiError.
// Not thread-safe: runs on the caller's thread until the callback says stop.
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "client/api_client.h"

namespace migmon::client {

struct WatchEvent {
  std::string type;  // ADDED, MODIFIED or DELETED
  nlohmann::json object;
  bool listed = false;  // the state found by a list or get, not a change seen live
};

struct FollowSpec {
  std::string collection_path;      // MigrationsPath(...)
  std::optional<std::string> name;  // follow this one object (fieldSelector=metadata.name=...)
  // The named object's current state when the caller already has it (the
  // answer to its POST): the first get is skipped.
  std::optional<nlohmann::json> initial;
};

struct FollowPolicy {
  int max_failures = 8;
  std::chrono::milliseconds backoff{1000};
  // Told about each lost connection before a retry (for a note to the user).
  std::function<void(const std::string& why)> on_retry;
};

// Calls `on_event` until it returns false. Throws ApiError as described
// above; a named object that does not exist at the start is 404 NotFound.
void Follow(ApiClient& api, const FollowSpec& spec, const std::function<bool(const WatchEvent&)>& on_event,
            const FollowPolicy& policy = {});

}  // namespace migmon::client

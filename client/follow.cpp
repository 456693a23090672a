#include "client/follow.h"

#include <algorithm>
#include <map>
#include <set>
#include <thread>
#include <vector>

namespace migmon::client {
namespace {

using nlohmann::json;

// A relist that is at once too old again means the server's event window is
// smaller than one round trip: give up rather than spin.
constexpr int kMaxExpiredInARow = 5;
// A stream that closes this fast with nothing in it is not a live watch:
// pause before reopening, so a misbehaving server is not hammered.
constexpr auto kQuickClose = std::chrono::seconds(1);

std::string StringAt(const json& object, const char* outer, const char* inner) {
  if (!object.is_object()) return "";
  const auto o = object.find(outer);
  if (o == object.end() || !o->is_object()) return "";
  const auto i = o->find(inner);
  return i != o->end() && i->is_string() ? i->get<std::string>() : "";
}

std::string ResourceVersionOf(const json& object) { return StringAt(object, "metadata", "resourceVersion"); }

std::string KeyOfObject(const json& object) {
  return StringAt(object, "metadata", "namespace") + "/" + StringAt(object, "metadata", "name");
}

bool IsExpired(const json& status) {
  if (!status.is_object()) return false;
  const auto code = status.find("code");
  if (code != status.end() && code->is_number_integer()) return code->get<int>() == 410;
  const std::string reason = status.value("reason", "");
  return reason == "Expired" || reason == "Gone";
}

ApiError ErrorFromEvent(const json& status) {
  int code = 500;
  std::string reason;
  std::string message = "the server ended the watch with an error";
  if (status.is_object()) {
    if (const auto c = status.find("code"); c != status.end() && c->is_number_integer()) code = c->get<int>();
    if (const auto r = status.find("reason"); r != status.end() && r->is_string()) reason = r->get<std::string>();
    if (const auto m = status.find("message"); m != status.end() && m->is_string()) message = m->get<std::string>();
  }
  return ApiError(ApiError::Kind::kStatus, code, reason, message);
}

ApiError KeepsExpiring() {
  return ApiError(ApiError::Kind::kProtocol, 410, "Expired", "the server keeps expiring the watch; try again");
}

}  // namespace

void Follow(ApiClient& api, const FollowSpec& spec, const std::function<bool(const WatchEvent&)>& on_event,
            const FollowPolicy& policy) {
  std::map<std::string, json> known;  // the last state of every object delivered and not deleted
  auto deliver = [&](WatchEvent event) {
    const std::string key = KeyOfObject(event.object);
    if (event.type == "DELETED") {
      known.erase(key);
    } else {
      known[key] = event.object;
    }
    return on_event(event);
  };

  std::optional<json> initial = spec.initial;
  std::string rv;
  bool need_list = true;
  bool delivered_any = false;
  int failures = 0;
  int expired_in_a_row = 0;
  for (;;) {
    try {
      if (need_list) {
        std::vector<json> items;
        std::string list_rv;
        if (spec.name) {
          json object;
          if (initial) {
            object = std::move(*initial);
            initial.reset();
          } else {
            try {
              object = api.Get(spec.collection_path + "/" + PercentEncode(*spec.name));
            } catch (const ApiError& e) {
              // Gone since we last saw it: reported below as DELETED.
              if (e.code() != 404 || !delivered_any) throw;
            }
          }
          if (object.is_object()) {
            list_rv = ResourceVersionOf(object);
            items.push_back(std::move(object));
          }
        } else {
          const json list = api.Get(spec.collection_path);
          list_rv = ResourceVersionOf(list);
          if (list.is_object() && list.contains("items") && list["items"].is_array()) {
            for (const auto& item : list["items"]) items.push_back(item);
          }
        }
        std::set<std::string> present;
        for (const auto& item : items) present.insert(KeyOfObject(item));
        std::vector<json> vanished;
        for (const auto& [key, object] : known) {
          if (!present.count(key)) vanished.push_back(object);
        }
        for (auto& object : vanished) {
          if (!deliver({"DELETED", std::move(object), true})) return;
        }
        for (auto& item : items) {
          delivered_any = true;
          if (!deliver({"ADDED", std::move(item), true})) return;
        }
        rv = list_rv;
        need_list = false;
      }

      std::string path = spec.collection_path + "?watch=true&allowWatchBookmarks=true";
      if (spec.name) path += "&fieldSelector=" + PercentEncode("metadata.name=" + *spec.name);
      if (!rv.empty()) path += "&resourceVersion=" + PercentEncode(rv);
      std::optional<ApiError> stream_error;
      bool expired = false;
      size_t lines = 0;
      const auto opened = std::chrono::steady_clock::now();
      const auto end = api.Stream(path, [&](const json& line) {
        ++lines;
        if (!line.is_object()) return true;
        const std::string type = line.value("type", "");
        const auto object = line.find("object");
        if (object == line.end()) return true;
        if (type == "ERROR") {
          if (IsExpired(*object)) {
            expired = true;
          } else {
            stream_error = ErrorFromEvent(*object);
          }
          return false;
        }
        if (const std::string next = ResourceVersionOf(*object); !next.empty()) rv = next;
        if (type != "ADDED" && type != "MODIFIED" && type != "DELETED") return true;  // BOOKMARK, or newer types
        // The server filters by fieldSelector; checking again costs nothing.
        if (spec.name && StringAt(*object, "metadata", "name") != *spec.name) return true;
        return deliver({type, *object, false});
      });
      failures = 0;
      if (stream_error) throw *stream_error;
      if (expired) {
        if (++expired_in_a_row > kMaxExpiredInARow) throw KeepsExpiring();
        need_list = true;
        continue;
      }
      if (lines > 0) expired_in_a_row = 0;
      if (end == ApiClient::StreamEnd::kStopped) return;
      if (lines == 0 && std::chrono::steady_clock::now() - opened < kQuickClose) {
        std::this_thread::sleep_for(policy.backoff);
      }
    } catch (const ApiError& e) {
      if (e.code() == 410 && e.kind() == ApiError::Kind::kStatus) {
        // 410 as the HTTP answer to the watch itself.
        if (++expired_in_a_row > kMaxExpiredInARow) throw KeepsExpiring();
        need_list = true;
        continue;
      }
      if (e.kind() == ApiError::Kind::kUnreachable && delivered_any && ++failures < policy.max_failures) {
        if (policy.on_retry) policy.on_retry(e.what());
        std::this_thread::sleep_for(policy.backoff * std::min(failures, 5));
        continue;
      }
      throw;
    }
  }
}

}  // namespace migmon::client

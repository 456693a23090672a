// The API's watch handlers: migration objects from the store's event ring,
// VMIs by comparing snapshots (they live in libvirt, not in the store).
#include <thread>

#include "api/api_server.h"
#include "api/k8s/resources.h"
#include "api/k8s/status.h"
#include "api/k8s/table.h"
#include "api/request_parts.h"
#include "api/watch_stream.h"

namespace migmon::api {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

const char* VmiChangeType(VmiChange change) {
  switch (change) {
    case VmiChange::kAdded: return "ADDED";
    case VmiChange::kModified: return "MODIFIED";
    case VmiChange::kDeleted: return "DELETED";
  }
  return "MODIFIED";
}

constexpr auto kBookmarkEvery = std::chrono::seconds(10);
constexpr auto kVmiWatchPoll = std::chrono::milliseconds(1000);

json Bookmark(uint64_t rv) {
  return {{"kind", std::string(api::k8s::kMigrationKind)}, {"apiVersion", std::string(api::k8s::kGroupVersion)},
          {"metadata", {{"resourceVersion", std::to_string(rv)}}}};
}

}  // namespace

bool ApiServer::AdmitWatch(Response& res) {
  const uint32_t cap = Settings().max_watches;
  if (watches_->fetch_add(1) >= cap) {
    watches_->fetch_sub(1);
    res.set_header("Retry-After", "1");
    SendStatus(res, api::k8s::TooManyRequests("too many watches open (api.maxWatches " + std::to_string(cap) + ")", 1));
    return false;
  }
  return true;
}

void ApiServer::WatchMigrations(const Request& req, Response& res, const std::optional<std::string>& ns) {
  Filter filter;
  if (!ParseFilter(req, res, filter)) return;
  const auto deadline = WatchDeadline(req, res);
  if (!deadline) return;
  const auto requested = AwaitRequestedVersion(req, res, store_);
  if (!requested) return;
  uint64_t since = *requested;
  if (!AdmitWatch(res)) return;

  struct State {
    std::unique_ptr<store::Subscription> sub;
    std::chrono::steady_clock::time_point next_bookmark;
    bool bookmarks = false;
    bool table = false;
    bool sent_columns = false;
    Filter filter;
  };
  auto st = std::make_shared<State>();
  st->filter = filter;
  st->table = api::k8s::WantsTable(req.get_header_value("Accept"));
  st->bookmarks = IsTrue(req, "allowWatchBookmarks");
  st->next_bookmark = std::chrono::steady_clock::now() + kBookmarkEvery;
  auto event_object = [st, &clock = clock_](const json& obj) {
    if (!st->table) return obj;
    const bool first = !st->sent_columns;
    st->sent_columns = true;
    return api::k8s::MakeWatchTable(obj, first, WallTimePoint(clock.Now()));
  };
  std::deque<std::string> first;
  if (since == 0) {
    // Kubernetes' "any version": the current state as ADDED, then changes.
    store::ListPage page;
    if (!filter.labels.empty() || !filter.fields.empty()) {
      page.filter = [&filter](const json& object) { return filter.Matches(object); };
    }
    page.bodies = !st->table;  // plain events carry the stored texts as they are
    const auto list = store_.List(kMigrations, ns, page);
    for (const auto& item : list.items) {
      first.push_back(st->table ? WatchLine("ADDED", event_object(item.object)) : WatchLineOfText("ADDED", item.body));
    }
    since = list.resource_version;
  }
  st->sub = store_.Subscribe(kMigrations, ns, since);
  StreamWatch(
      res, st->table ? std::string(api::k8s::kTableContentType) : std::string(kJson), std::move(first), *deadline,
      [st, event_object](std::deque<std::string>& out, bool& done) {
        const auto ev = st->sub->Next(kWatchWait);
        if (st->sub->closed() && !ev) {
          done = true;
        } else if (ev && ev->type == store::EventType::kExpired) {
          out.push_back(WatchLine("ERROR", ev->object));  // a Status: 410 Expired
          done = true;
        } else if (ev && st->filter.Matches(ev->object)) {
          const auto type = store::EventTypeName(ev->type);
          out.push_back(st->table ? WatchLine(type, event_object(ev->object)) : WatchLineOfText(type, *ev->text));
        } else if (!ev && st->bookmarks && std::chrono::steady_clock::now() >= st->next_bookmark) {
          out.push_back(WatchLine("BOOKMARK", Bookmark(st->sub->cursor())));
          st->next_bookmark = std::chrono::steady_clock::now() + kBookmarkEvery;
        }
      },
      [watches = watches_] { watches->fetch_sub(1); });
}

void ApiServer::WatchVmis(const Request& req, Response& res, std::function<std::vector<VmiText>()> current) {
  // VMIs live in libvirt, not in the store: a watch compares snapshots, as
  // texts (the same snapshot dumps the same text).
  const auto deadline = WatchDeadline(req, res);
  if (!deadline || !AdmitWatch(res)) return;
  auto last = std::make_shared<std::vector<VmiText>>();  // sorted by (namespace, name)
  StreamWatch(
      res, kJson, {}, *deadline,
      [last, current, first = true](std::deque<std::string>& out, bool&) mutable {
        if (!first) std::this_thread::sleep_for(kVmiWatchPoll);
        first = false;
        std::vector<VmiText> next = current();
        DiffVmis(*last, next, [&out](VmiChange change, const VmiText& vmi) {
          out.push_back(WatchLineOfText(VmiChangeType(change), vmi.text));
        });
        *last = std::move(next);
      },
      [watches = watches_] { watches->fetch_sub(1); });
}

}  // namespace migmon::api

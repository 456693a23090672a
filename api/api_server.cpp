#include "api/api_server.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <thread>

#include "api/k8s/discovery.h"
#include "api/k8s/openapi.h"
#include "api/k8s/request_options.h"
#include "api/k8s/resources.h"
#include "api/k8s/status.h"
#include "api/k8s/table.h"
#include "api/k8s/vmim.h"
#include "api/error_status.h"
#include "api/vmi_objects.h"
#include "store/selectors.h"
#include "util/log.h"

namespace migmon::api {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

constexpr const char* kJson = "application/json";
constexpr int kDefaultWatchSeconds = 1800;
constexpr int kMaxWatchSeconds = 3600;
constexpr auto kBookmarkEvery = std::chrono::seconds(10);
constexpr auto kHeartbeatEvery = std::chrono::seconds(5);
constexpr auto kWatchWait = std::chrono::milliseconds(500);
constexpr auto kVmiWatchPoll = std::chrono::milliseconds(1000);
// How long a list or watch waits for a resourceVersion newer than the
// store's before answering 504, as kube-apiserver's watch cache does.
constexpr auto kFreshVersionWait = std::chrono::seconds(3);

// The store's resource name of migration objects.
const std::string kMigrations{api::k8s::kMigrationPlural};

const std::string kNs = R"(/apis/kubevirt.io/v1/namespaces/([^/]+)/)";
const std::string kAll = R"(/apis/kubevirt.io/v1/)";

void Send(Response& res, int code, const json& body, const char* type = kJson) {
  res.status = code;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), type);
}

void SendStatus(Response& res, const json& status) { Send(res, status.value("code", 500), status); }

bool IsTrue(const Request& req, const char* param) {
  const std::string v = req.get_param_value(param);
  return v == "true" || v == "1";
}

std::string NameOf(const json& obj) { return obj["metadata"].value("name", ""); }
std::string NamespaceOf(const json& obj) { return obj["metadata"].value("namespace", ""); }

// Label and field selectors of a list or watch; false when one is invalid (answered 400).
struct Filter {
  store::LabelSelector labels;
  store::FieldSelector fields;
  bool Matches(const json& obj) const { return labels.Matches(obj) && fields.Matches(obj); }
};
bool ParseFilter(const Request& req, Response& res, Filter& out) {
  try {
    out.labels = store::LabelSelector::Parse(req.get_param_value("labelSelector"));
    out.fields = store::FieldSelector::Parse(req.get_param_value("fieldSelector"));
    return true;
  } catch (const std::invalid_argument& e) {
    SendStatus(res, api::k8s::BadRequest(std::string("invalid selector: ") + e.what()));
    return false;
  }
}

json ListOf(std::string_view kind, std::vector<json> items, const std::string& rv, const std::string& cont,
            std::optional<size_t> remaining) {
  json meta = {{"resourceVersion", rv}};
  if (!cont.empty()) meta["continue"] = cont;
  if (remaining) meta["remainingItemCount"] = *remaining;
  return {{"apiVersion", "kubevirt.io/v1"}, {"kind", std::string(kind)}, {"metadata", meta}, {"items", std::move(items)}};
}

// limit/continue: the continue token is the namespace/name of the last item sent.
bool Paginate(const Request& req, Response& res, std::vector<json>& items, std::string& cont,
              std::optional<size_t>& remaining) {
  const std::string after = req.get_param_value("continue");
  if (!after.empty()) {
    const auto it = std::find_if(items.begin(), items.end(), [&](const json& o) {
      return NamespaceOf(o) + "/" + NameOf(o) > after;
    });
    items.erase(items.begin(), it);
  }
  const std::string limit_text = req.get_param_value("limit");
  if (limit_text.empty()) return true;
  size_t limit = 0;
  try {
    limit = std::stoul(limit_text);
  } catch (const std::exception&) {
    SendStatus(res, api::k8s::BadRequest("limit must be a non-negative integer, got \"" + limit_text + "\""));
    return false;
  }
  if (limit == 0 || items.size() <= limit) return true;
  remaining = items.size() - limit;
  items.resize(limit);
  cont = NamespaceOf(items.back()) + "/" + NameOf(items.back());
  return true;
}

// The stream's end for the request's timeoutSeconds; nullopt when it is bad (answered 400).
std::optional<std::chrono::steady_clock::time_point> WatchDeadline(const Request& req, Response& res) {
  const auto timeout = api::k8s::ParseWatchTimeout(req.params);
  if (timeout.error) {
    SendStatus(res, *timeout.error);
    return std::nullopt;
  }
  const auto seconds = std::min<uint64_t>(timeout.seconds.value_or(kDefaultWatchSeconds), kMaxWatchSeconds);
  return std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
}

// The request's resourceVersion, once the store has reached it; nullopt when
// it is bad (400) or did not arrive in time (504): answered.
std::optional<uint64_t> AwaitRequestedVersion(const Request& req, Response& res, const store::ObjectStore& store) {
  const auto requested = api::k8s::ParseRequestedVersion(req.params);
  if (requested.error) {
    SendStatus(res, *requested.error);
    return std::nullopt;
  }
  if (requested.rv > 0 && !store.WaitForResourceVersion(requested.rv, kFreshVersionWait)) {
    SendStatus(res, api::k8s::ResourceVersionTooLarge(requested.rv, store.CurrentResourceVersion(), 1));
    return std::nullopt;
  }
  return requested.rv;
}

std::string Line(std::string_view type, json object) {
  // Replace invalid UTF-8 (a domain name can hold any bytes) rather than throw.
  return api::k8s::MakeWatchEvent(type, std::move(object)).dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

// Streams watch lines: first `pending`, then whatever `produce` adds (it may
// block up to kWatchWait and sets `done` to end the stream), until the
// deadline or the client goes away. `release` runs when the stream ends.
using Producer = std::function<void(std::deque<std::string>& pending, bool& done)>;
void StreamLines(Response& res, const std::string& content_type, std::deque<std::string> first,
                 std::chrono::steady_clock::time_point deadline, Producer produce, std::function<void()> release) {
  struct Stream {
    std::deque<std::string> pending;
    std::chrono::steady_clock::time_point deadline;
    Producer produce;
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

// The Status of an error the HTTP server answers before or instead of a handler.
json ServerErrorStatus(int code, std::string_view message) {
  namespace k = api::k8s;
  switch (code) {
    case 400: return k::BadRequest(std::string(message));
    case 404: return k::UnknownPath();
    case 405: return k::MakeStatus(405, "MethodNotAllowed", std::string(message));
    case 413: return k::MakeStatus(413, "RequestEntityTooLarge", std::string(message));
    case 500: return k::InternalError(message);
    case 503: return k::MakeStatus(503, "ServiceUnavailable", std::string(message));
    default: return k::MakeStatus(code, "", std::string(message));
  }
}

json Bookmark(uint64_t rv) {
  return {{"kind", std::string(api::k8s::kMigrationKind)}, {"apiVersion", "kubevirt.io/v1"},
          {"metadata", {{"resourceVersion", std::to_string(rv)}}}};
}

}  // namespace

ApiServer::ApiServer(store::ObjectStore& store, migrations::Controller& controller, std::function<Snapshot()> snapshot,
                     ApiSettings settings, const Clock& clock)
    : store_(store),
      controller_(controller),
      snapshot_(std::move(snapshot)),
      clock_(clock),
      settings_(std::move(settings)) {}

ApiSettings ApiServer::Settings() const {
  std::lock_guard lock(mutex_);
  return settings_;
}

void ApiServer::UpdateSettings(ApiSettings settings) {
  std::lock_guard lock(mutex_);
  settings_ = std::move(settings);
}

void ApiServer::Count(const std::string& method, int code) {
  std::lock_guard lock(mutex_);
  ++requests_[{method, code}];
}

std::map<std::pair<std::string, int>, uint64_t> ApiServer::RequestCounts() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void ApiServer::Install(http::Server& server) {
  namespace k = api::k8s;
  // Auth first: everything but the monitoring endpoints needs the token.
  server.SetPreRoutingHandler([this](const Request& req, Response& res) {
    const std::string token = Settings().token;
    if (token.empty() || req.path == "/metrics" || req.path == "/healthz" || req.path == "/readyz") {
      return http::PreRouting::kContinue;
    }
    const std::string want = "Bearer " + token;
    const std::string got = req.get_header_value("Authorization");
    // Compare every byte whatever the first difference: no timing hint.
    bool same = got.size() == want.size();
    unsigned char diff = 0;
    for (size_t i = 0; i < got.size() && i < want.size(); ++i) diff |= static_cast<unsigned char>(got[i] ^ want[i]);
    if (same && diff == 0) return http::PreRouting::kContinue;
    SendStatus(res, k::Unauthorized());
    return http::PreRouting::kHandled;
  });
  // What the server answers itself (404, 405, 400, 413, 503, ...) is a Status too.
  server.SetErrorBodyHandler([](const Request&, Response& res, std::string_view message) {
    SendStatus(res, ServerErrorStatus(res.status, message));
  });
  server.SetLogger([this](const Request& req, const Response& res) {
    if (req.path == "/metrics" || req.path == "/healthz" || req.path == "/readyz" || req.path == "/") return;
    Count(req.method, res.status);
    if (req.method != "GET" && req.method != "HEAD") {
      log::Info("api request", {{"method", req.method}, {"path", req.path}, {"status", res.status},
                                {"client", req.remote_addr + ":" + std::to_string(req.remote_port)}});
    }
  });

  // Discovery and OpenAPI.
  server.Get("/version", [](const Request&, Response& res) { Send(res, 200, k::VersionInfo()); });
  server.Get("/api", [](const Request& req, Response& res) {
    if (k::AcceptsAggregatedDiscovery(req.get_header_value("Accept"))) {
      return Send(res, 200, k::AggregatedCoreDiscovery(), std::string(k::kAggregatedDiscoveryContentType).c_str());
    }
    Send(res, 200, k::CoreApiVersions(req.local_addr + ":" + std::to_string(req.local_port)));
  });
  server.Get("/api/v1", [](const Request&, Response& res) { Send(res, 200, k::CoreV1Resources()); });
  server.Get("/apis", [](const Request& req, Response& res) {
    if (k::AcceptsAggregatedDiscovery(req.get_header_value("Accept"))) {
      return Send(res, 200, k::AggregatedApisDiscovery(), std::string(k::kAggregatedDiscoveryContentType).c_str());
    }
    Send(res, 200, k::ApiGroupList());
  });
  server.Get("/apis/kubevirt.io", [](const Request&, Response& res) { Send(res, 200, k::KubevirtApiGroup()); });
  server.Get("/apis/kubevirt.io/v1", [](const Request&, Response& res) { Send(res, 200, k::KubevirtV1Resources()); });
  server.Get("/openapi/v3", [](const Request&, Response& res) { Send(res, 200, k::OpenApiV3Index()); });
  server.Get(R"(/openapi/v3/(.+))", [](const Request& req, Response& res) {
    if (auto doc = k::OpenApiV3Document(req.matches[1].str())) return Send(res, 200, *doc);
    SendStatus(res, k::UnknownPath());
  });

  // Migrations.
  server.Get(kAll + "virtualmachineinstancemigrations",
             [this](const Request& req, Response& res) { ListOrWatchMigrations(req, res, std::nullopt); });
  server.Get(kNs + "virtualmachineinstancemigrations",
             [this](const Request& req, Response& res) { ListOrWatchMigrations(req, res, req.matches[1].str()); });
  server.Post(kNs + "virtualmachineinstancemigrations",
              [this](const Request& req, Response& res) { CreateMigration(req, res, req.matches[1].str()); });
  server.Get(kNs + "virtualmachineinstancemigrations/([^/]+)", [this](const Request& req, Response& res) {
    GetMigration(req, res, req.matches[1].str(), req.matches[2].str());
  });
  server.Delete(kNs + "virtualmachineinstancemigrations/([^/]+)", [this](const Request& req, Response& res) {
    DeleteMigration(req, res, req.matches[1].str(), req.matches[2].str());
  });
  for (const char* verb : {"PUT", "PATCH"}) {
    auto refuse = [verb](const Request&, Response& res) {
      SendStatus(res, k::MethodNotAllowed(verb == std::string("PUT") ? "update" : "patch", k::kMigrationPlural));
    };
    if (verb == std::string("PUT")) server.Put(kNs + "virtualmachineinstancemigrations/([^/]+)", refuse);
    else server.Patch(kNs + "virtualmachineinstancemigrations/([^/]+)", refuse);
  }

  // VMIs, read-only.
  server.Get(kAll + "virtualmachineinstances",
             [this](const Request& req, Response& res) { ListOrWatchVmis(req, res, std::nullopt); });
  server.Get(kNs + "virtualmachineinstances",
             [this](const Request& req, Response& res) { ListOrWatchVmis(req, res, req.matches[1].str()); });
  server.Get(kNs + "virtualmachineinstances/([^/]+)", [this](const Request& req, Response& res) {
    GetVmi(req, res, req.matches[1].str(), req.matches[2].str());
  });
}

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

void ApiServer::ListOrWatchMigrations(const Request& req, Response& res, const std::optional<std::string>& ns) {
  if (IsTrue(req, "watch")) return WatchMigrations(req, res, ns);
  Filter filter;
  if (!ParseFilter(req, res, filter) || !AwaitRequestedVersion(req, res, store_)) return;
  const auto list = store_.List(kMigrations, ns);
  if (list.code != 200) return SendStatus(res, api::k8s::InternalError(list.message));
  std::vector<json> items;
  for (const auto& item : list.items) {
    if (filter.Matches(item.object)) items.push_back(item.object);
  }
  std::string cont;
  std::optional<size_t> remaining;
  if (!Paginate(req, res, items, cont, remaining)) return;
  const std::string rv = std::to_string(list.resource_version);
  if (api::k8s::WantsTable(req.get_header_value("Accept"))) {
    return Send(res, 200, api::k8s::MakeTable(items, std::chrono::system_clock::now(), rv),
                std::string(api::k8s::kTableContentType).c_str());
  }
  Send(res, 200, ListOf(api::k8s::kMigrationListKind, std::move(items), rv, cont, remaining));
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
  auto event_object = [st](const json& obj) {
    if (!st->table) return obj;
    const bool first = !st->sent_columns;
    st->sent_columns = true;
    return api::k8s::MakeWatchTable(obj, first);
  };
  std::deque<std::string> first;
  if (since == 0) {
    // Kubernetes' "any version": the current state as ADDED, then changes.
    const auto list = store_.List(kMigrations, ns);
    for (const auto& item : list.items) {
      if (filter.Matches(item.object)) first.push_back(Line("ADDED", event_object(item.object)));
    }
    since = list.resource_version;
  }
  st->sub = store_.Subscribe(kMigrations, ns, since);
  StreamLines(
      res, st->table ? std::string(api::k8s::kTableContentType) : std::string(kJson), std::move(first), *deadline,
      [st, event_object](std::deque<std::string>& out, bool& done) {
        const auto ev = st->sub->Next(kWatchWait);
        if (st->sub->closed() && !ev) {
          done = true;
        } else if (ev && ev->type == store::EventType::kExpired) {
          out.push_back(Line("ERROR", ev->object));  // a Status: 410 Expired
          done = true;
        } else if (ev && st->filter.Matches(ev->object)) {
          out.push_back(Line(store::EventTypeName(ev->type), event_object(ev->object)));
        } else if (!ev && st->bookmarks && std::chrono::steady_clock::now() >= st->next_bookmark) {
          out.push_back(Line("BOOKMARK", Bookmark(st->sub->cursor())));
          st->next_bookmark = std::chrono::steady_clock::now() + kBookmarkEvery;
        }
      },
      [watches = watches_] { watches->fetch_sub(1); });
}

void ApiServer::CreateMigration(const Request& req, Response& res, const std::string& ns) {
  namespace k = api::k8s;
  const auto options = k::ParseCreateOptions(req.params);
  if (options.error) return SendStatus(res, *options.error);
  auto parsed = k::ParseBody(req.body, req.get_header_value("Content-Type"));
  if (parsed.error) return SendStatus(res, *parsed.error);
  k::PruneNulls(parsed.object);
  const auto validation = options.options.field_validation;
  const auto checked = k::ValidateMigration(parsed.object, ns, validation == k::FieldValidation::kStrict);
  if (checked.error) return SendStatus(res, *checked.error);
  if (validation != k::FieldValidation::kIgnore) {
    for (const auto& w : checked.warnings) res.set_header("Warning", k::WarningHeaderValue(w));
  }
  const std::string vmi = parsed.object["spec"]["vmiName"].get<std::string>();
  const std::string name = parsed.object["metadata"].value("name", "");
  const auto r = controller_.Create(ns, std::move(parsed.object), options.options.dry_run);
  if (r.error) return SendStatus(res, CreateErrorStatus(*r.error, name, vmi));
  Send(res, 201, r.object);
}

void ApiServer::GetMigration(const Request& req, Response& res, const std::string& ns, const std::string& name) {
  namespace k = api::k8s;
  const auto got = store_.Get(kMigrations, ns, name);
  if (!got) return SendStatus(res, k::NotFound(k::kMigrationPlural, name));
  if (k::WantsTable(req.get_header_value("Accept"))) {
    return Send(res, 200, k::MakeTable({got->object}), std::string(k::kTableContentType).c_str());
  }
  Send(res, 200, got->object);
}

void ApiServer::DeleteMigration(const Request& req, Response& res, const std::string& ns, const std::string& name) {
  namespace k = api::k8s;
  // kubectl sends its DeleteOptions (dryRun, preconditions) as the body.
  std::optional<k::ParsedBody> body;
  if (!req.body.empty()) {
    body = k::ParseBody(req.body, req.get_header_value("Content-Type"));
    if (body->error) return SendStatus(res, *body->error);
  }
  const auto options = k::ParseDeleteOptions(body ? &body->object : nullptr, req.params);
  if (options.error) return SendStatus(res, *options.error);
  const auto r = controller_.Delete(ns, name, options.options);
  if (r.error) return SendStatus(res, DeleteErrorStatus(*r.error, name));
  // 202: the migration is being aborted; the object goes once it ended.
  Send(res, r.abort_requested ? 202 : 200, r.object);
}

void ApiServer::ListOrWatchVmis(const Request& req, Response& res, const std::optional<std::string>& ns) {
  Filter filter;
  if (!ParseFilter(req, res, filter)) return;
  const NamingScheme naming = Settings().naming;
  auto current = [this, ns, naming, filter] {
    std::vector<json> items;
    for (auto& vmi : VmiObjects(snapshot_(), naming, ns, clock_)) {
      if (filter.Matches(vmi)) items.push_back(std::move(vmi));
    }
    return items;
  };
  if (!IsTrue(req, "watch")) {
    std::vector<json> items = current();
    std::string cont;
    std::optional<size_t> remaining;
    if (!Paginate(req, res, items, cont, remaining)) return;
    return Send(res, 200, ListOf(api::k8s::kVmiListKind, std::move(items), "0", cont, remaining));
  }
  // VMIs live in libvirt, not in the store: a watch compares snapshots.
  const auto deadline = WatchDeadline(req, res);
  if (!deadline || !AdmitWatch(res)) return;
  auto last = std::make_shared<std::map<std::string, json>>();  // namespace/name -> object
  StreamLines(
      res, kJson, {}, *deadline,
      [last, current, first = true](std::deque<std::string>& out, bool&) mutable {
        if (!first) std::this_thread::sleep_for(kVmiWatchPoll);
        first = false;
        std::map<std::string, json> next;
        for (auto& vmi : current()) next[NamespaceOf(vmi) + "/" + NameOf(vmi)] = std::move(vmi);
        for (const auto& [key, obj] : next) {
          auto it = last->find(key);
          if (it == last->end()) out.push_back(Line("ADDED", obj));
          else if (it->second != obj) out.push_back(Line("MODIFIED", obj));
        }
        for (const auto& [key, obj] : *last) {
          if (!next.count(key)) out.push_back(Line("DELETED", obj));
        }
        *last = std::move(next);
      },
      [watches = watches_] { watches->fetch_sub(1); });
}

void ApiServer::GetVmi(const Request&, Response& res, const std::string& ns, const std::string& name) {
  for (auto& vmi : VmiObjects(snapshot_(), Settings().naming, ns, clock_)) {
    if (NameOf(vmi) == name) return Send(res, 200, vmi);
  }
  SendStatus(res, api::k8s::NotFound(api::k8s::kVmiPlural, name));
}

}  // namespace migmon::api

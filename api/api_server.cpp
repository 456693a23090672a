#include "api/api_server.h"

#include <chrono>

#include "api/k8s/discovery.h"
#include "api/k8s/openapi.h"
#include "api/k8s/request_options.h"
#include "api/k8s/resources.h"
#include "api/k8s/status.h"
#include "api/k8s/table.h"
#include "api/k8s/vmim.h"
#include "api/error_status.h"
#include "api/request_parts.h"
#include "api/vmi_objects.h"
#include "util/log.h"

namespace migmon::api {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

// Routes: the group, its prefixes for all namespaces and for one (the
// namespace is the first capture), and the resources (an object's name is
// the next capture).
const std::string kGroupPath = "/apis/" + std::string(api::k8s::kGroupVersion);
const std::string kAll = kGroupPath + "/";
const std::string kNs = kAll + "namespaces/([^/]+)/";
const std::string kMigrationsPath{api::k8s::kMigrationPlural};
const std::string kMigrationPath = kMigrationsPath + "/([^/]+)";
const std::string kVmisPath{api::k8s::kVmiPlural};
const std::string kVmiPath = kVmisPath + "/([^/]+)";

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
  server.Get(kGroupPath, [](const Request&, Response& res) { Send(res, 200, k::KubevirtV1Resources()); });
  server.Get("/openapi/v3", [](const Request&, Response& res) { Send(res, 200, k::OpenApiV3Index()); });
  server.Get(R"(/openapi/v3/(.+))", [](const Request& req, Response& res) {
    if (auto doc = k::OpenApiV3Document(req.matches[1].str())) return Send(res, 200, *doc);
    SendStatus(res, k::UnknownPath());
  });

  // Migrations.
  server.Get(kAll + kMigrationsPath,
             [this](const Request& req, Response& res) { ListOrWatchMigrations(req, res, std::nullopt); });
  server.Get(kNs + kMigrationsPath,
             [this](const Request& req, Response& res) { ListOrWatchMigrations(req, res, req.matches[1].str()); });
  server.Post(kNs + kMigrationsPath,
              [this](const Request& req, Response& res) { CreateMigration(req, res, req.matches[1].str()); });
  server.Get(kNs + kMigrationPath, [this](const Request& req, Response& res) {
    GetMigration(req, res, req.matches[1].str(), req.matches[2].str());
  });
  server.Delete(kNs + kMigrationPath, [this](const Request& req, Response& res) {
    DeleteMigration(req, res, req.matches[1].str(), req.matches[2].str());
  });
  for (const char* verb : {"PUT", "PATCH"}) {
    auto refuse = [verb](const Request&, Response& res) {
      SendStatus(res, k::MethodNotAllowed(verb == std::string("PUT") ? "update" : "patch", k::kMigrationPlural));
    };
    if (verb == std::string("PUT")) server.Put(kNs + kMigrationPath, refuse);
    else server.Patch(kNs + kMigrationPath, refuse);
  }

  // VMIs, read-only.
  server.Get(kAll + kVmisPath,
             [this](const Request& req, Response& res) { ListOrWatchVmis(req, res, std::nullopt); });
  server.Get(kNs + kVmisPath,
             [this](const Request& req, Response& res) { ListOrWatchVmis(req, res, req.matches[1].str()); });
  server.Get(kNs + kVmiPath, [this](const Request& req, Response& res) {
    GetVmi(req, res, req.matches[1].str(), req.matches[2].str());
  });
}

void ApiServer::ListOrWatchMigrations(const Request& req, Response& res, const std::optional<std::string>& ns) {
  if (IsTrue(req, "watch")) return WatchMigrations(req, res, ns);
  Filter filter;
  if (!ParseFilter(req, res, filter) || !AwaitRequestedVersion(req, res, store_)) return;
  store::ListPage page;
  if (!ParsePage(req, res, page)) return;
  page.filter = filter.Predicate();
  const bool table = api::k8s::WantsTable(req.get_header_value("Accept"));
  page.bodies = !table;  // a JSON list is the stored texts as they are
  auto list = store_.List(kMigrations, ns, page);
  if (list.code != 200) return SendStatus(res, api::k8s::InternalError(list.message));
  api::k8s::ListMeta meta;
  meta.resource_version = std::to_string(list.resource_version);
  if (list.more) {
    SetContinue(list.last, meta);
    meta.remaining = list.remaining;
  }
  if (!table) {
    return SendText(res, 200, ListBodyOf(api::k8s::kMigrationListKind, list.items, meta));
  }
  std::vector<json> items;
  items.reserve(list.items.size());
  for (auto& item : list.items) items.push_back(std::move(item.object));
  Send(res, 200, api::k8s::MakeTable(items, WallTimePoint(clock_.Now()), meta),
       std::string(api::k8s::kTableContentType).c_str());
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
  k::AddVmiNameLabel(parsed.object);
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
    return Send(res, 200, k::MakeTable({got->object}, WallTimePoint(clock_.Now())), std::string(k::kTableContentType).c_str());
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
  const VmiFilter keep = filter.Predicate();
  auto current = [this, ns, naming, keep] { return VmiTexts(snapshot_(), naming, ns, keep); };
  if (IsTrue(req, "watch")) return WatchVmis(req, res, current);
  std::vector<VmiText> items = current();
  api::k8s::ListMeta meta;
  meta.resource_version = "0";
  if (!Paginate(req, res, items, meta)) return;
  SendText(res, 200, ListBodyOf(api::k8s::kVmiListKind, items, meta));
}

void ApiServer::GetVmi(const Request&, Response& res, const std::string& ns, const std::string& name) {
  if (auto vmi = VmiObject(snapshot_(), Settings().naming, ns, name)) return Send(res, 200, *vmi);
  SendStatus(res, api::k8s::NotFound(api::k8s::kVmiPlural, name));
}

}  // namespace migmon::api

#include "api/request_parts.h"

#include <algorithm>

#include "api/k8s/request_options.h"
#include "api/k8s/status.h"

namespace migmon::api {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

constexpr int kDefaultWatchSeconds = 1800;
constexpr int kMaxWatchSeconds = 3600;
// How long a list or watch waits for a resourceVersion newer than the
// store's before answering 504, as kube-apiserver's watch cache does.
constexpr auto kFreshVersionWait = std::chrono::seconds(3);

}  // namespace

void Send(Response& res, int code, const json& body, const char* type) {
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
  return {{"apiVersion", std::string(k8s::kGroupVersion)}, {"kind", std::string(kind)}, {"metadata", meta}, {"items", std::move(items)}};
}

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

std::optional<std::chrono::steady_clock::time_point> WatchDeadline(const Request& req, Response& res) {
  const auto timeout = api::k8s::ParseWatchTimeout(req.params);
  if (timeout.error) {
    SendStatus(res, *timeout.error);
    return std::nullopt;
  }
  const auto seconds = std::min<uint64_t>(timeout.seconds.value_or(kDefaultWatchSeconds), kMaxWatchSeconds);
  return std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
}

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

}  // namespace migmon::api

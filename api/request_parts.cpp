#include "api/request_parts.h"

#include <algorithm>
#include <tuple>

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

void SendText(Response& res, int code, std::string body) {
  res.status = code;
  res.set_content(std::move(body), kJson);
}

std::function<bool(const json&)> Filter::Predicate() const {
  if (labels.empty() && fields.empty()) return {};
  return [filter = *this](const json& object) { return filter.Matches(object); };
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

json ListOf(std::string_view kind, std::vector<json> items, const k8s::ListMeta& meta) {
  return {{"apiVersion", std::string(k8s::kGroupVersion)},
          {"kind", std::string(kind)},
          {"metadata", k8s::ListMetaJson(meta)},
          {"items", std::move(items)}};
}

namespace {

// The envelope is ours (no "items" anywhere else in it): the items' texts go between its brackets.
template <typename Item, typename TextOf>
std::string SpliceList(std::string_view kind, const std::vector<Item>& items, TextOf text_of,
                       const k8s::ListMeta& meta) {
  const std::string envelope = ListOf(kind, {}, meta).dump();
  const std::string marker = "\"items\":[";
  const size_t at = envelope.find(marker) + marker.size();
  size_t size = envelope.size() + items.size();
  for (const auto& item : items) size += text_of(item).size();
  std::string out;
  out.reserve(size);
  out.append(envelope, 0, at);
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += text_of(items[i]);
  }
  out.append(envelope, at, std::string::npos);
  return out;
}

}  // namespace

std::string ListBodyOf(std::string_view kind, const std::vector<store::StoredObject>& items,
                       const k8s::ListMeta& meta) {
  return SpliceList(kind, items, [](const store::StoredObject& o) -> const std::string& { return o.body; }, meta);
}

std::string ListBodyOf(std::string_view kind, const std::vector<VmiText>& items, const k8s::ListMeta& meta) {
  return SpliceList(kind, items, [](const VmiText& v) -> const std::string& { return v.text; }, meta);
}

bool ParsePage(const Request& req, Response& res, store::ListPage& page) {
  const auto parsed = api::k8s::ParseListPage(req.params);
  if (parsed.error) {
    SendStatus(res, *parsed.error);
    return false;
  }
  page.after = parsed.after;
  page.limit = parsed.limit;
  return true;
}

void SetContinue(const std::pair<std::string, std::string>& last, k8s::ListMeta& meta) {
  meta.continue_token = last.first + "/" + last.second;
}

bool Paginate(const Request& req, Response& res, std::vector<VmiText>& items, k8s::ListMeta& meta) {
  store::ListPage page;
  if (!ParsePage(req, res, page)) return false;
  if (page.after) {
    const auto it = std::partition_point(items.begin(), items.end(), [&](const VmiText& v) {
      return std::tie(v.name_space, v.name) <= std::tie(page.after->first, page.after->second);
    });
    items.erase(items.begin(), it);
  }
  if (page.limit == 0 || items.size() <= page.limit) return true;
  meta.remaining = items.size() - page.limit;
  items.resize(page.limit);
  SetContinue({items.back().name_space, items.back().name}, meta);
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

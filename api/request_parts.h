// The pieces the API's handlers share: answering with JSON or a Status,
// query flags, label and field selectors, limit/continue, a watch's
// timeoutSeconds and a requested resourceVersion. A function that returns
// false or nullopt has already answered the request (400, or 504 for a
// resourceVersion the store did not reach in time); the handler just returns.
//
// Thread-safety: free functions over the request, the response and the
// thread-safe store; call them from any handler thread.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/k8s/list_meta.h"
#include "api/k8s/resources.h"
#include "api/vmi_objects.h"
#include "http/server.h"
#include "store/object_store.h"
#include "store/selectors.h"

namespace migmon::api {

inline constexpr const char* kJson = "application/json";
// The store's resource name of migration objects: their plural.
inline const std::string kMigrations{k8s::kMigrationPlural};

void Send(http::Response& res, int code, const nlohmann::json& body, const char* type = kJson);
// Answers with a body that is JSON text already (a list spliced from texts).
void SendText(http::Response& res, int code, std::string body);
// Answers with a Kubernetes Status object, its code as the HTTP status.
void SendStatus(http::Response& res, const nlohmann::json& status);
// A boolean query parameter: "true" or "1".
bool IsTrue(const http::Request& req, const char* param);

std::string NameOf(const nlohmann::json& object);
std::string NamespaceOf(const nlohmann::json& object);

// Label and field selectors of a list or watch.
struct Filter {
  store::LabelSelector labels;
  store::FieldSelector fields;
  bool Matches(const nlohmann::json& object) const { return labels.Matches(object) && fields.Matches(object); }
  // Matches as a function, or an empty one when there is no selector (nothing to parse or test).
  std::function<bool(const nlohmann::json&)> Predicate() const;
};
bool ParseFilter(const http::Request& req, http::Response& res, Filter& out);  // false: answered 400

// A Kubernetes list of `kind` with `meta` (resourceVersion; continue and
// remainingItemCount when a limit cut it).
nlohmann::json ListOf(std::string_view kind, std::vector<nlohmann::json> items, const api::k8s::ListMeta& meta);
// The JSON text of ListOf(kind, items, meta) from items read as stored
// text (ListPage::bodies): byte for byte what ListOf would dump, without
// parsing each item and dumping it again.
std::string ListBodyOf(std::string_view kind, const std::vector<store::StoredObject>& items,
                       const api::k8s::ListMeta& meta);
// The same from VMIs built as text.
std::string ListBodyOf(std::string_view kind, const std::vector<VmiText>& items, const api::k8s::ListMeta& meta);
// The page a list asks for (limit, continue); false: answered 400.
bool ParsePage(const http::Request& req, http::Response& res, store::ListPage& page);
// A cut list's continue token: the namespace/name of the last item sent.
void SetContinue(const std::pair<std::string, std::string>& last, api::k8s::ListMeta& meta);
// Applies limit/continue to `items` (sorted by namespace, then name) and sets
// meta's continue token (the namespace/name of the last item sent) and
// remaining count; every list form sends `meta` as it is.
bool Paginate(const http::Request& req, http::Response& res, std::vector<VmiText>& items,
              api::k8s::ListMeta& meta);  // false: answered 400

// When a watch stream ends, from its timeoutSeconds (1800 s by default, at
// most 3600 s); nullopt when the parameter is bad (answered 400).
std::optional<std::chrono::steady_clock::time_point> WatchDeadline(const http::Request& req, http::Response& res);
// The request's resourceVersion, once the store has reached it; nullopt when
// it is bad (400) or did not arrive within 3 s (504), as kube-apiserver's
// watch cache answers.
std::optional<uint64_t> AwaitRequestedVersion(const http::Request& req, http::Response& res,
                                              const store::ObjectStore& store);

}  // namespace migmon::api

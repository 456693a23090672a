// The options of a request, from its query (and, for DELETE, its body), read
// and checked the way kube-apiserver reads CreateOptions, DeleteOptions and
// ListOptions: a value that cannot be decoded is 400 BadRequest, a decoded
// value outside what is supported is 422 Invalid naming the options' kind
// ("CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value:
// []string{\"bogus\"}: supported values: \"All\"").
//
// Contract: every function returns either the options or a complete Status
// (status.h) to send instead; none throws. Parameters the monitor does not
// act on (fieldManager, gracePeriodSeconds, propagationPolicy, ...) are
// checked for their type and otherwise ignored.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace migmon::api::k8s {

// The URL's query, a key once per value (?dryRun=All&dryRun=All is two).
using QueryParams = std::multimap<std::string, std::string>;

enum class FieldValidation { kIgnore, kWarn, kStrict };

struct CreateOptions {
  bool dry_run = false;                              // dryRun=All
  FieldValidation field_validation = FieldValidation::kWarn;  // kube's default when absent
};
struct CreateOptionsResult {
  CreateOptions options;
  std::optional<nlohmann::json> error;  // a Status: 422 for an unsupported dryRun or fieldValidation
};
CreateOptionsResult ParseCreateOptions(const QueryParams& query);

// DeleteOptions.preconditions: the delete happens only when the object
// still has this uid and resourceVersion (either may be absent).
struct Preconditions {
  std::optional<std::string> uid;
  std::optional<std::string> resource_version;
};
struct DeleteOptions {
  bool dry_run = false;
  Preconditions preconditions;
};
struct DeleteOptionsResult {
  DeleteOptions options;
  std::optional<nlohmann::json> error;  // 400 undecodable, 422 unsupported values
};
// `body` is the decoded request body (body.h's ParseBody), or nullptr when
// the request had none. As in kube-apiserver, a body is the whole of the
// options (its kind DeleteOptions or absent, its apiVersion v1,
// meta.k8s.io/v1 or ours) and the query is read only without one.
DeleteOptionsResult ParseDeleteOptions(const nlohmann::json* body, const QueryParams& query);

// Why `object` (with metadata.uid and metadata.resourceVersion) fails
// `pre`, in kube-apiserver's words ("Precondition failed: UID in
// precondition: a, UID in object meta: b"); nullopt when it passes. The
// caller answers 409 Conflict with it.
std::optional<std::string> PreconditionFailure(const Preconditions& pre, const nlohmann::json& object);

// The watch's timeoutSeconds: nullopt when absent or 0 (the server's
// default then), else the seconds. A value that is not a non-negative
// integer is a 400 BadRequest Status in `error`.
struct WatchTimeout {
  std::optional<uint64_t> seconds;
  std::optional<nlohmann::json> error;
};
WatchTimeout ParseWatchTimeout(const QueryParams& query);

// resourceVersion of a list or watch: 0 when absent, empty or "0" (any
// version), else the number. Not a non-negative integer: 400 in `error`.
struct RequestedVersion {
  uint64_t rv = 0;
  std::optional<nlohmann::json> error;
};
RequestedVersion ParseRequestedVersion(const QueryParams& query);

// A list's page: limit (0 or absent: all) and continue, the token of a
// previous page (the namespace/name of its last item; names have no '/').
// A limit that is not a non-negative integer, or a token that is not
// namespace/name, is 400 in `error`.
struct ListPageOptions {
  size_t limit = 0;
  std::optional<std::pair<std::string, std::string>> after;  // (namespace, name)
  std::optional<nlohmann::json> error;
};
ListPageOptions ParseListPage(const QueryParams& query);

}  // namespace migmon::api::k8s

// ParseCreateOptions, ParseDeleteOptions, PreconditionFailure,
// ParseWatchTimeout, ParseRequestedVersion (request_options.h).
#include "api/k8s/request_options.h"

#include <charconv>
#include <set>
#include <vector>

#include "api/k8s/status.h"

namespace migmon::api::k8s {
namespace {

using nlohmann::json;

constexpr std::string_view kMetaGroup = "meta.k8s.io";
constexpr std::string_view kDryRunAll = "All";

std::vector<std::string> Values(const QueryParams& query, const std::string& key) {
  std::vector<std::string> out;
  const auto [first, last] = query.equal_range(key);
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

std::optional<std::string> Single(const QueryParams& query, const std::string& key) {
  const auto it = query.find(key);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

// A non-negative decimal integer, all of `text`.
std::optional<uint64_t> Unsigned(std::string_view text) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// An integer that may be negative (gracePeriodSeconds).
bool IsInteger(std::string_view text) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// Go's %#v of a []string, as field.NotSupported prints a dryRun list.
std::string GoStringSlice(const std::vector<std::string>& values) {
  std::string out = "[]string{";
  for (size_t i = 0; i < values.size(); ++i) out += (i > 0 ? ", " : "") + GoQuote(values[i]);
  return out + "}";
}

Cause NotSupported(std::string field, const std::string& shown_value, const std::vector<std::string_view>& supported) {
  std::string message = "Unsupported value: " + shown_value + ": supported values: ";
  for (size_t i = 0; i < supported.size(); ++i) message += (i > 0 ? ", " : "") + GoQuote(supported[i]);
  return {"FieldValueNotSupported", std::move(field), std::move(message)};
}

// metav1 ValidateDryRun: every value must be "All" (an empty list is no dry run).
void CheckDryRun(const std::vector<std::string>& values, std::vector<Cause>& causes) {
  for (const auto& v : values) {
    if (v != kDryRunAll) {
      causes.push_back(NotSupported("dryRun", GoStringSlice(values), {kDryRunAll}));
      return;
    }
  }
}

std::optional<json> InvalidOptions(std::string_view kind, const std::vector<Cause>& causes) {
  if (causes.empty()) return std::nullopt;
  return Invalid(kind, "", causes, kMetaGroup);
}

std::string TypeName(const json& value) {
  if (value.is_number_integer() || value.is_number_unsigned()) return "integer";
  return value.is_number_float() ? "number" : value.type_name();
}

json WrongType(std::string_view field, std::string_view want, const json& got) {
  return BadRequest("DeleteOptions: " + std::string(field) + " must be " + std::string(want) + ", got " +
                    TypeName(got));
}

// Options common to the body and the query, after decoding.
struct DecodedDelete {
  std::vector<std::string> dry_run;
  std::optional<std::string> propagation_policy;
  bool orphan_dependents_set = false;
};

std::optional<json> ValidateDelete(const DecodedDelete& d) {
  std::vector<Cause> causes;
  if (d.propagation_policy && d.orphan_dependents_set) {
    causes.push_back(InvalidCause("propagationPolicy", *d.propagation_policy,
                                  "orphanDependents and deletionPropagation cannot be both set"));
  }
  if (d.propagation_policy && *d.propagation_policy != "Foreground" && *d.propagation_policy != "Background" &&
      *d.propagation_policy != "Orphan") {
    causes.push_back(NotSupported("propagationPolicy", GoQuote(*d.propagation_policy),
                                  {"Foreground", "Background", "Orphan", "nil"}));
  }
  CheckDryRun(d.dry_run, causes);
  return InvalidOptions("DeleteOptions", causes);
}

bool Absent(const json& object, const char* key) { return !object.contains(key) || object[key].is_null(); }

// Reads an optional string member; false (with `error`) when of another type.
bool OptionalString(const json& object, const char* key, std::string_view field, std::optional<std::string>& out,
                    std::optional<json>& error) {
  if (Absent(object, key)) return true;
  if (!object[key].is_string()) {
    error = WrongType(field, "a string", object[key]);
    return false;
  }
  out = object[key].get<std::string>();
  return true;
}

DeleteOptionsResult FromBody(const json& body) {
  DeleteOptionsResult r;
  if (!body.is_object()) {
    r.error = BadRequest("the request body must be a DeleteOptions object, got " + TypeName(body));
    return r;
  }
  static const std::set<std::string, std::less<>> versions = {"v1", "meta.k8s.io/v1", "meta.k8s.io/v1beta1",
                                                              "kubevirt.io/v1"};
  if (!Absent(body, "kind") && (!body["kind"].is_string() || body["kind"] != "DeleteOptions")) {
    r.error = BadRequest("the request body must be of kind DeleteOptions, got " + body["kind"].dump());
    return r;
  }
  if (!Absent(body, "apiVersion") &&
      (!body["apiVersion"].is_string() || !versions.contains(body["apiVersion"].get<std::string>()))) {
    r.error = BadRequest("DeleteOptions: apiVersion " + body["apiVersion"].dump() +
                         " is not one this server decodes (v1, meta.k8s.io/v1)");
    return r;
  }
  DecodedDelete d;
  if (!Absent(body, "dryRun")) {
    const json& list = body["dryRun"];
    if (!list.is_array()) {
      r.error = WrongType("dryRun", "a list of strings", list);
      return r;
    }
    for (const json& v : list) {
      if (!v.is_string()) {
        r.error = WrongType("dryRun[]", "a string", v);
        return r;
      }
      d.dry_run.push_back(v.get<std::string>());
    }
  }
  if (!Absent(body, "preconditions")) {
    const json& pre = body["preconditions"];
    if (!pre.is_object()) {
      r.error = WrongType("preconditions", "an object", pre);
      return r;
    }
    if (!OptionalString(pre, "uid", "preconditions.uid", r.options.preconditions.uid, r.error) ||
        !OptionalString(pre, "resourceVersion", "preconditions.resourceVersion",
                        r.options.preconditions.resource_version, r.error)) {
      return r;
    }
  }
  if (!Absent(body, "gracePeriodSeconds") && !body["gracePeriodSeconds"].is_number_integer()) {
    r.error = WrongType("gracePeriodSeconds", "an integer", body["gracePeriodSeconds"]);
    return r;
  }
  if (!Absent(body, "orphanDependents")) {
    if (!body["orphanDependents"].is_boolean()) {
      r.error = WrongType("orphanDependents", "a boolean", body["orphanDependents"]);
      return r;
    }
    d.orphan_dependents_set = true;
  }
  if (!OptionalString(body, "propagationPolicy", "propagationPolicy", d.propagation_policy, r.error)) return r;
  r.error = ValidateDelete(d);
  r.options.dry_run = !d.dry_run.empty();
  return r;
}

DeleteOptionsResult FromQuery(const QueryParams& query) {
  DeleteOptionsResult r;
  DecodedDelete d;
  d.dry_run = Values(query, "dryRun");
  d.propagation_policy = Single(query, "propagationPolicy");
  if (const auto grace = Single(query, "gracePeriodSeconds"); grace && !IsInteger(*grace)) {
    r.error = BadRequest("gracePeriodSeconds must be an integer, got " + GoQuote(*grace));
    return r;
  }
  if (const auto orphan = Single(query, "orphanDependents")) {
    if (*orphan != "true" && *orphan != "false") {
      r.error = BadRequest("orphanDependents must be true or false, got " + GoQuote(*orphan));
      return r;
    }
    d.orphan_dependents_set = true;
  }
  r.error = ValidateDelete(d);
  r.options.dry_run = !d.dry_run.empty();
  return r;
}

}  // namespace

CreateOptionsResult ParseCreateOptions(const QueryParams& query) {
  CreateOptionsResult r;
  std::vector<Cause> causes;
  const auto dry_run = Values(query, "dryRun");
  CheckDryRun(dry_run, causes);
  r.options.dry_run = !dry_run.empty();
  if (const auto v = Single(query, "fieldValidation")) {
    if (*v == "Ignore") r.options.field_validation = FieldValidation::kIgnore;
    else if (*v == "Strict") r.options.field_validation = FieldValidation::kStrict;
    else if (*v == "Warn" || v->empty()) r.options.field_validation = FieldValidation::kWarn;
    else causes.push_back(NotSupported("fieldValidation", GoQuote(*v), {"", "Ignore", "Strict", "Warn"}));
  }
  r.error = InvalidOptions("CreateOptions", causes);
  return r;
}

DeleteOptionsResult ParseDeleteOptions(const json* body, const QueryParams& query) {
  return body ? FromBody(*body) : FromQuery(query);
}

std::optional<std::string> PreconditionFailure(const Preconditions& pre, const json& object) {
  const json meta = object.is_object() ? object.value("metadata", json::object()) : json::object();
  auto field = [&](const char* key) {
    return meta.is_object() && meta.contains(key) && meta[key].is_string() ? meta[key].get<std::string>() : "";
  };
  if (pre.uid && *pre.uid != field("uid")) {
    return "Precondition failed: UID in precondition: " + *pre.uid + ", UID in object meta: " + field("uid");
  }
  if (pre.resource_version && *pre.resource_version != field("resourceVersion")) {
    return "Precondition failed: ResourceVersion in precondition: " + *pre.resource_version +
           ", ResourceVersion in meta: " + field("resourceVersion");
  }
  return std::nullopt;
}

WatchTimeout ParseWatchTimeout(const QueryParams& query) {
  WatchTimeout r;
  const auto text = Single(query, "timeoutSeconds");
  if (!text) return r;
  const auto seconds = Unsigned(*text);
  if (!seconds) {
    r.error = BadRequest("timeoutSeconds must be a non-negative integer, got " + GoQuote(*text));
  } else if (*seconds > 0) {
    r.seconds = *seconds;
  }
  return r;
}

ListPageOptions ParseListPage(const QueryParams& query) {
  ListPageOptions r;
  if (const auto token = Single(query, "continue"); token && !token->empty()) {
    const auto slash = token->find('/');
    if (slash == std::string::npos) {
      r.error = BadRequest("invalid continue token " + GoQuote(*token) + ": expected namespace/name");
      return r;
    }
    r.after = std::make_pair(token->substr(0, slash), token->substr(slash + 1));
  }
  if (const auto text = Single(query, "limit"); text && !text->empty()) {
    const auto limit = Unsigned(*text);
    if (!limit) {
      r.error = BadRequest("limit must be a non-negative integer, got " + GoQuote(*text));
      return r;
    }
    r.limit = static_cast<size_t>(*limit);
  }
  return r;
}

RequestedVersion ParseRequestedVersion(const QueryParams& query) {
  RequestedVersion r;
  const auto text = Single(query, "resourceVersion");
  if (!text || text->empty()) return r;
  if (const auto rv = Unsigned(*text)) {
    r.rv = *rv;
  } else {
    r.error = BadRequest("resourceVersion must be a non-negative integer, got " + GoQuote(*text));
  }
  return r;
}

}  // namespace migmon::api::k8s

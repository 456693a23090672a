#include "api/k8s/status.h"

#include <cstdio>
#include <utility>

namespace migmon::api::k8s {

namespace {

// "<plural>.<group>", or just the plural for the core group ("").
std::string Qualified(std::string_view name, std::string_view group) {
  std::string out(name);
  if (!group.empty()) {
    out += '.';
    out += group;
  }
  return out;
}

nlohmann::json ResourceDetails(std::string_view name, std::string_view group, std::string_view kind) {
  nlohmann::json details = nlohmann::json::object();
  if (!name.empty()) details["name"] = name;
  details["group"] = group;
  details["kind"] = kind;
  return details;
}

}  // namespace

nlohmann::json MakeStatus(int code, std::string reason, std::string message, nlohmann::json details) {
  // Field order follows kube-apiserver's output, which nlohmann::json cannot
  // keep (its objects are sorted); only the set of fields matters to clients.
  nlohmann::json status = {
      {"kind", "Status"},
      {"apiVersion", "v1"},
      {"metadata", nlohmann::json::object()},
      {"status", code >= 200 && code < 300 ? "Success" : "Failure"},
      {"code", code},
  };
  if (!message.empty()) status["message"] = std::move(message);
  if (!reason.empty()) status["reason"] = std::move(reason);
  if (!details.is_null()) status["details"] = std::move(details);
  return status;
}

std::string GoQuote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[5];
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;  // UTF-8 passes through, as %q keeps printable runes
        }
    }
  }
  out += '"';
  return out;
}

Cause RequiredCause(std::string field, std::string_view detail) {
  std::string message = "Required value";
  if (!detail.empty()) message += ": " + std::string(detail);
  return {"FieldValueRequired", std::move(field), std::move(message)};
}

Cause InvalidCause(std::string field, std::string_view value, std::string_view detail) {
  std::string message = "Invalid value: " + GoQuote(value);
  if (!detail.empty()) message += ": " + std::string(detail);
  return {"FieldValueInvalid", std::move(field), std::move(message)};
}

Cause NotSupportedCause(std::string field, std::string_view value, const std::vector<std::string_view>& supported) {
  std::string message = "Unsupported value: " + GoQuote(value) + ": supported values: ";
  for (size_t i = 0; i < supported.size(); ++i) {
    if (i > 0) message += ", ";
    message += GoQuote(supported[i]);
  }
  return {"FieldValueNotSupported", std::move(field), std::move(message)};
}

Cause TypeInvalidCause(std::string field, std::string_view got, std::string_view want) {
  // The wording of CRD schema validation: the path repeats inside the detail.
  std::string message = "Invalid value: " + GoQuote(got) + ": " + field + " in body must be of type " +
                        std::string(want) + ": " + GoQuote(got);
  return {"FieldValueTypeInvalid", std::move(field), std::move(message)};
}

Cause TooLongCause(std::string field, int64_t max_bytes) {
  return {"FieldValueTooLong", std::move(field), "Too long: must have at most " + std::to_string(max_bytes) + " bytes"};
}

std::string CauseText(const Cause& cause) { return cause.field + ": " + cause.message; }

nlohmann::json BadRequest(std::string message) { return MakeStatus(400, "BadRequest", std::move(message)); }

nlohmann::json Unauthorized(std::string message) { return MakeStatus(401, "Unauthorized", std::move(message)); }

nlohmann::json Forbidden(std::string_view plural, std::string_view name, std::string_view why,
                         std::string_view group) {
  std::string message = Qualified(plural, group) + " " + GoQuote(name) + " is forbidden: " + std::string(why);
  return MakeStatus(403, "Forbidden", std::move(message), ResourceDetails(name, group, plural));
}

nlohmann::json NotFound(std::string_view plural, std::string_view name, std::string_view group) {
  std::string message = Qualified(plural, group) + " " + GoQuote(name) + " not found";
  return MakeStatus(404, "NotFound", std::move(message), ResourceDetails(name, group, plural));
}

nlohmann::json UnknownPath() {
  // What kube-apiserver answers for a path no handler serves.
  return MakeStatus(404, "NotFound", "the server could not find the requested resource",
                    {{"causes", {{{"reason", "UnexpectedServerResponse"}, {"message", "404 page not found"}}}}});
}

nlohmann::json AlreadyExists(std::string_view plural, std::string_view name, std::string_view group) {
  std::string message = Qualified(plural, group) + " " + GoQuote(name) + " already exists";
  return MakeStatus(409, "AlreadyExists", std::move(message), ResourceDetails(name, group, plural));
}

nlohmann::json Conflict(std::string_view plural, std::string_view name, std::string_view why,
                        std::string_view group) {
  std::string message =
      "Operation cannot be fulfilled on " + Qualified(plural, group) + " " + GoQuote(name) + ": " + std::string(why);
  return MakeStatus(409, "Conflict", std::move(message), ResourceDetails(name, group, plural));
}

nlohmann::json Invalid(std::string_view kind, std::string_view name, const std::vector<Cause>& causes,
                       std::string_view group) {
  std::string message = Qualified(kind, group) + " " + GoQuote(name) + " is invalid";
  // One error reads bare; several are listed in brackets, as Go's aggregate does.
  if (causes.size() == 1) {
    message += ": " + CauseText(causes.front());
  } else if (!causes.empty()) {
    message += ": [";
    for (size_t i = 0; i < causes.size(); ++i) {
      if (i > 0) message += ", ";
      message += CauseText(causes[i]);
    }
    message += "]";
  }
  nlohmann::json details = ResourceDetails(name, group, kind);
  details["causes"] = nlohmann::json::array();
  for (const Cause& cause : causes) {
    details["causes"].push_back({{"reason", cause.reason}, {"message", cause.message}, {"field", cause.field}});
  }
  return MakeStatus(422, "Invalid", std::move(message), std::move(details));
}

nlohmann::json MethodNotAllowed(std::string_view verb, std::string_view plural, std::string_view group) {
  std::string message =
      std::string(verb) + " is not supported on resources of kind " + GoQuote(Qualified(plural, group));
  return MakeStatus(405, "MethodNotAllowed", std::move(message), ResourceDetails({}, group, plural));
}

nlohmann::json Expired(std::string message) { return MakeStatus(410, "Expired", std::move(message)); }

nlohmann::json RequestEntityTooLarge(int64_t limit_bytes) {
  return MakeStatus(413, "RequestEntityTooLarge", "Request entity too large: limit is " + std::to_string(limit_bytes));
}

nlohmann::json UnsupportedMediaType(std::string_view content_type) {
  std::string message = "the body of the request was in an unknown format - accepted media types include: "
                        "application/json, application/yaml";
  if (!content_type.empty()) message += " (got " + GoQuote(content_type) + ")";
  return MakeStatus(415, "UnsupportedMediaType", std::move(message));
}

nlohmann::json TooManyRequests(std::string message, int retry_after_seconds) {
  return MakeStatus(429, "TooManyRequests", std::move(message), {{"retryAfterSeconds", retry_after_seconds}});
}

nlohmann::json InternalError(std::string_view what) {
  return MakeStatus(500, "InternalError", "Internal error occurred: " + std::string(what),
                    {{"causes", {{{"message", std::string(what)}}}}});
}

nlohmann::json ServiceUnavailable(std::string message) {
  return MakeStatus(503, "ServiceUnavailable", std::move(message));
}

nlohmann::json ResourceVersionTooLarge(uint64_t requested, uint64_t current, int retry_after_seconds) {
  // errors.NewTimeoutError plus the cause client-go's reflector looks for.
  return MakeStatus(504, "Timeout",
                    "Timeout: Too large resource version: " + std::to_string(requested) +
                        ", current: " + std::to_string(current),
                    {{"retryAfterSeconds", retry_after_seconds},
                     {"causes", {{{"reason", "ResourceVersionTooLarge"}, {"message", "Too large resource version"}}}}});
}

nlohmann::json DeleteSuccess(std::string_view plural, std::string_view name, std::string_view uid,
                             std::string_view group) {
  nlohmann::json details = ResourceDetails(name, group, plural);
  if (!uid.empty()) details["uid"] = uid;
  return MakeStatus(200, "", "", std::move(details));
}

}  // namespace migmon::api::k8s

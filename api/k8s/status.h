// Kubernetes `Status` objects: the body of every error answer (and of a
// successful DELETE), shaped and worded like kube-apiserver's so kubectl
// prints "Error from server (NotFound): ..." exactly as against a cluster.
//
// Contract: every function returns a complete Status:
//   {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure"|"Success",
//    "message":..., "reason":..., "details":{...} (only when given), "code":<HTTP code>}
// The HTTP response code to send is the object's "code". Plural resource
// names go in details.kind for resource errors (NotFound, AlreadyExists,
// Conflict, MethodNotAllowed) and the Kind for Invalid, as kube-apiserver does.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/k8s/resources.h"

namespace migmon::api::k8s {

// status "Success" for 2xx codes, "Failure" otherwise. `details` is left out
// when null; `reason` and `message` when empty.
nlohmann::json MakeStatus(int code, std::string reason, std::string message, nlohmann::json details = nullptr);

// One field error of an Invalid (422) answer. `reason` is a metav1 CauseType
// (FieldValueRequired, FieldValueInvalid, ...); `message` the error body
// without the field ("Required value"); `field` the JSON path ("spec.vmiName").
struct Cause {
  std::string reason;
  std::string field;
  std::string message;
  bool operator==(const Cause&) const = default;
};

// Causes worded as k8s.io/apimachinery's field errors.
Cause RequiredCause(std::string field, std::string_view detail = {});
// `value` is shown Go-quoted: Invalid value: "Foo": <detail>.
Cause InvalidCause(std::string field, std::string_view value, std::string_view detail);
Cause NotSupportedCause(std::string field, std::string_view value, const std::vector<std::string_view>& supported);
// `got` is the JSON type found ("integer", "array", ...), `want` the one expected.
Cause TypeInvalidCause(std::string field, std::string_view got, std::string_view want);
Cause TooLongCause(std::string field, int64_t max_bytes);
// "<field>: <message>", the form used inside an Invalid Status's message.
std::string CauseText(const Cause& cause);

// Go's %q for the characters our messages quote: backslash, quote and
// control characters escaped. Also used for Warning header texts.
std::string GoQuote(std::string_view text);

// 400: decoding failures, API version or kind mismatches, namespace mismatch.
nlohmann::json BadRequest(std::string message);
// 401 "Unauthorized".
nlohmann::json Unauthorized(std::string message = "Unauthorized");
// 403: <plural>.<group> "<name>" is forbidden: <why>.
nlohmann::json Forbidden(std::string_view plural, std::string_view name, std::string_view why,
                         std::string_view group = kGroup);
// 404: <plural>.<group> "<name>" not found.
nlohmann::json NotFound(std::string_view plural, std::string_view name, std::string_view group = kGroup);
// 404 for a URL the server does not serve at all.
nlohmann::json UnknownPath();
// 409: <plural>.<group> "<name>" already exists.
nlohmann::json AlreadyExists(std::string_view plural, std::string_view name, std::string_view group = kGroup);
// 409: Operation cannot be fulfilled on <plural>.<group> "<name>": <why>.
nlohmann::json Conflict(std::string_view plural, std::string_view name, std::string_view why,
                        std::string_view group = kGroup);
// 422: <Kind>.<group> "<name>" is invalid: <cause text> (several: [a, b]).
nlohmann::json Invalid(std::string_view kind, std::string_view name, const std::vector<Cause>& causes,
                       std::string_view group = kGroup);
// 405: <verb> is not supported on resources of kind "<plural>.<group>".
nlohmann::json MethodNotAllowed(std::string_view verb, std::string_view plural, std::string_view group = kGroup);
// 410 reason Expired: a watch or list resourceVersion that is no longer kept.
nlohmann::json Expired(std::string message);
// 413: Request entity too large: limit is <limit_bytes>.
nlohmann::json RequestEntityTooLarge(int64_t limit_bytes);
// 415: the body's Content-Type is not one ParseBody decodes.
nlohmann::json UnsupportedMediaType(std::string_view content_type);
// 429 with details.retryAfterSeconds (the caller also sends Retry-After).
nlohmann::json TooManyRequests(std::string message, int retry_after_seconds);
// 500: Internal error occurred: <what>.
nlohmann::json InternalError(std::string_view what);
// 503 reason ServiceUnavailable: the request is fine but cannot be served now
// (a node it needs is not connected); the message says what is missing.
nlohmann::json ServiceUnavailable(std::string message);
// 504 reason Timeout with cause ResourceVersionTooLarge: a list or watch asked
// for a resourceVersion newer than the store's and it did not arrive within
// the wait (kube-apiserver's "Too large resource version: X, current: Y").
nlohmann::json ResourceVersionTooLarge(uint64_t requested, uint64_t current, int retry_after_seconds);
// 200 Success after a delete, naming what was deleted.
nlohmann::json DeleteSuccess(std::string_view plural, std::string_view name, std::string_view uid,
                             std::string_view group = kGroup);

}  // namespace migmon::api::k8s

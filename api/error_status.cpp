#include "api/error_status.h"

#include "api/k8s/status.h"

namespace migmon::api {
namespace {

namespace k = k8s;
using migrations::ErrorCode;

// The Status of the error's kind, carrying the stage's message.
nlohmann::json WithMessage(nlohmann::json status, const std::string& message) {
  if (!message.empty()) status["message"] = message;
  return status;
}

// Kinds that read the same whatever the request.
nlohmann::json CommonStatus(const migrations::Error& error) {
  switch (error.code) {
    case ErrorCode::kUnavailable: return k::ServiceUnavailable(error.message);
    case ErrorCode::kBadRequest: return k::BadRequest(error.message);
    default: return k::InternalError(error.message);
  }
}

}  // namespace

nlohmann::json CreateErrorStatus(const migrations::Error& error, const std::string& name, const std::string& vmi) {
  switch (error.code) {
    case ErrorCode::kNotFound: return WithMessage(k::NotFound(k::kVmiPlural, vmi), error.message);
    case ErrorCode::kAlreadyExists: return WithMessage(k::AlreadyExists(k::kMigrationPlural, name), error.message);
    case ErrorCode::kInvalid:
      return k::Invalid(k::kMigrationKind, name, {k::InvalidCause("spec.vmiName", vmi, error.message)});
    case ErrorCode::kConflict: return k::Conflict(k::kMigrationPlural, name, error.message);
    default: return CommonStatus(error);
  }
}

nlohmann::json DeleteErrorStatus(const migrations::Error& error, const std::string& name) {
  switch (error.code) {
    case ErrorCode::kNotFound: return WithMessage(k::NotFound(k::kMigrationPlural, name), error.message);
    case ErrorCode::kConflict: return k::Conflict(k::kMigrationPlural, name, error.message);
    default: return CommonStatus(error);
  }
}

}  // namespace migmon::api

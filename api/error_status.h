// The lifecycle stage's typed errors as Kubernetes Status objects: the HTTP
// status code and StatusReason come from the error's kind, the message from
// the stage (never dropped: what the stage or the store said is what the
// client reads). Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "migrations/errors.h"

namespace migmon::api {

// For a create of migration `name` for VMI `vmi` (the 404 is the VMI's).
nlohmann::json CreateErrorStatus(const migrations::Error& error, const std::string& name, const std::string& vmi);
// For a DELETE of migration `name`.
nlohmann::json DeleteErrorStatus(const migrations::Error& error, const std::string& name);

}  // namespace migmon::api

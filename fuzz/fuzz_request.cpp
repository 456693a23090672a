#include "fuzz/fuzz_request.h"

#include <nlohmann/json.hpp>

#include "api/k8s/vmim.h"

namespace migmon::fuzz {

// Serialised as the server does: bytes that are not UTF-8 replaced.
void CheckRejection(const std::optional<nlohmann::json>& status) {
  if (!status) return;
  const nlohmann::json code = status->is_object() ? status->value("code", nlohmann::json()) : nlohmann::json();
  if (!code.is_number_integer() || code.get<int>() < 400 || code.get<int>() > 499) {
    Violated("a rejected request must answer a 4xx Status");
  }
  (void)status->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void CheckBody(std::string_view body, std::string_view content_type) {
  const api::k8s::ParsedBody parsed = api::k8s::ParseBody(body, content_type);
  if (parsed.error) {
    CheckRejection(parsed.error);
    return;
  }
  // What is accepted gets stored as JSON, strictly: the store refuses what
  // is not UTF-8, so ParseBody must have answered 400 for it.
  (void)parsed.object.dump();
  for (bool strict : {true, false}) {
    const api::k8s::MigrationValidation validation = api::k8s::ValidateMigration(parsed.object, "default", strict);
    CheckRejection(validation.error);
    for (const std::string& warning : validation.warnings) {
      (void)api::k8s::WarningHeaderValue(warning);
    }
  }
}

}  // namespace migmon::fuzz

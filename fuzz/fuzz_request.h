// The checks of the harnesses that see API requests: bodies (the JSON and
// YAML targets) and request options.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz_text.h"

namespace migmon::fuzz {

// ParseBody(body, content_type); on success, ValidateMigration strict and
// lenient. Either gives an object or a Status with a 4xx code, never both and
// never neither; a violation ends the run through Violated().
void CheckBody(std::string_view body, std::string_view content_type);

// When `status` is set, it must be a Status with a 4xx code (the request was
// refused as the client's fault); it is serialised as the server does.
void CheckRejection(const std::optional<nlohmann::json>& status);

}  // namespace migmon::fuzz

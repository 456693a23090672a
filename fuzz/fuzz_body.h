// The body harnesses' one check, shared by the JSON and YAML targets.
#pragma once

#include <string_view>

#include "fuzz/fuzz_text.h"

namespace migmon::fuzz {

// ParseBody(body, content_type); on success, ValidateMigration strict and
// lenient. Either gives an object or a Status with a 4xx code, never both and
// never neither; a violation ends the run through Violated().
void CheckBody(std::string_view body, std::string_view content_type);

}  // namespace migmon::fuzz

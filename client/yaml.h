// JSON -> YAML for `get -o yaml`, in kubectl's layout: block mappings and
// sequences indented by two spaces, "{}"/"[]" for empty ones. Strings are
// plain when that cannot be read back as anything else, double-quoted
// (JSON escapes, which YAML accepts) otherwise: digits in front (numbers,
// timestamps), YAML 1.1 booleans and nulls, indicators, ": " or " #", leading
// or trailing blanks, control or non-ASCII characters. Reading the output
// with any YAML parser gives back the JSON value. Pure: thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace migmon::client {

// Ends in "\n". A scalar at the top level is printed alone.
std::string ToYaml(const nlohmann::json& value);

}  // namespace migmon::client

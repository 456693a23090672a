#include <utility>

#include "config/config.h"

namespace migmon::config {

namespace {
std::string FormatWhat(const std::string& key_path, const std::string& why) {
  return key_path.empty() ? why : key_path + ": " + why;
}
}  // namespace

ConfigError::ConfigError(std::string key_path, std::string why)
    : std::runtime_error(FormatWhat(key_path, why)), key_path_(std::move(key_path)), why_(std::move(why)) {}

}  // namespace migmon::config

#include "hypervisor/json_job_fields.h"

#include <cmath>
#include <limits>

namespace migmon::hv {
namespace {

// A number a field may hold: finite, >= 0, and within the type.
template <typename T>
std::optional<T> Whole(const nlohmann::json& v) {
  if (!v.is_number()) return std::nullopt;
  const double d = v.get<double>();
  if (!std::isfinite(d) || d < 0 || d > static_cast<double>(std::numeric_limits<T>::max())) return std::nullopt;
  return v.is_number_float() ? static_cast<T>(std::llround(d)) : v.get<T>();
}

}  // namespace

std::optional<uint64_t> JsonJobFields::ULL(const char* name) const {
  auto it = stats_.find(name);
  return it == stats_.end() ? std::nullopt : Whole<uint64_t>(*it);
}

std::optional<int> JsonJobFields::Int(const char* name) const {
  auto it = stats_.find(name);
  return it == stats_.end() ? std::nullopt : Whole<int>(*it);
}

std::optional<bool> JsonJobFields::Bool(const char* name) const {
  auto it = stats_.find(name);
  if (it == stats_.end()) return std::nullopt;
  if (it->is_boolean()) return it->get<bool>();
  if (const auto n = Whole<int>(*it)) return *n != 0;
  return std::nullopt;
}

std::optional<std::string> JsonJobFields::String(const char* name) const {
  auto it = stats_.find(name);
  if (it == stats_.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

JobSample JobSampleFromJson(const nlohmann::json& stats, SteadyTime sampled_at) {
  const JsonJobFields fields(stats);
  return JobSampleFrom(fields.Int("type").value_or(code::kJobNone), fields, sampled_at);
}

}  // namespace migmon::hv

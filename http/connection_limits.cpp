#include "http/connection_limits.h"

namespace migmon::http {

ConnectionSlot::ConnectionSlot(std::shared_ptr<ConnectionLimits> limits, std::string address)
    : limits_(std::move(limits)), address_(std::move(address)) {}

ConnectionSlot::~ConnectionSlot() { limits_->Release(address_); }

ConnectionLimits::ConnectionLimits(uint32_t max_total, uint32_t max_per_address)
    : max_total_(max_total), max_per_address_(max_per_address) {}

ConnectionLimits::Admission ConnectionLimits::Admit(const std::string& address) {
  {
    std::lock_guard lock(mutex_);
    if (total_ >= max_total_) return {nullptr, Refusal::kTotal};
    uint32_t& from = per_address_[address];
    if (from >= max_per_address_) {
      if (from == 0) per_address_.erase(address);
      return {nullptr, Refusal::kPerAddress};
    }
    ++from;
    ++total_;
  }
  return {std::make_unique<ConnectionSlot>(shared_from_this(), address), std::nullopt};
}

void ConnectionLimits::Release(const std::string& address) {
  std::lock_guard lock(mutex_);
  --total_;
  const auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

uint32_t ConnectionLimits::Open() const {
  std::lock_guard lock(mutex_);
  return total_;
}

uint32_t ConnectionLimits::OpenFrom(const std::string& address) const {
  std::lock_guard lock(mutex_);
  const auto it = per_address_.find(address);
  return it == per_address_.end() ? 0 : it->second;
}

}  // namespace migmon::http

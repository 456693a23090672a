#include "hypervisor/domain_event.h"

namespace migmon::hv {

void EventQueue::Push(DomainEvent event) {
  {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }
  cv_.notify_one();
}

void EventQueue::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_one();
}

std::deque<DomainEvent> EventQueue::WaitUntil(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  cv_.wait_until(lock, deadline, [this] { return woken_ || !events_.empty(); });
  woken_ = false;
  std::deque<DomainEvent> out;
  out.swap(events_);
  return out;
}

}  // namespace migmon::hv

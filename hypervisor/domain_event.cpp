#include "hypervisor/domain_event.h"

namespace migmon::hv {

void EventQueue::Push(DomainEvent event) {
  {
    std::lock_guard lock(mutex_);
    pending_.events.push_back(std::move(event));
  }
  cv_.notify_one();
}

void EventQueue::PushAction(MigrationAction action) {
  {
    std::lock_guard lock(mutex_);
    pending_.actions.push_back(std::move(action));
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

Wakeup EventQueue::WaitUntil(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  cv_.wait_until(lock, deadline, [this] {
    return woken_ || !pending_.events.empty() || !pending_.actions.empty();
  });
  woken_ = false;
  Wakeup out;
  std::swap(out, pending_);
  return out;
}

}  // namespace migmon::hv

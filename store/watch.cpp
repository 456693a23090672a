#include "store/watch.h"

#include <algorithm>

namespace migmon::store {
namespace {

std::string TooOldMessage(uint64_t rv, uint64_t horizon) {
  // Kubernetes' wording, which clients (client-go reflectors) recognise.
  return "too old resource version: " + std::to_string(rv) + " (" + std::to_string(horizon) + ")";
}

nlohmann::json ExpiredStatus(const std::string& message) {
  return {{"kind", "Status"},     {"apiVersion", "v1"}, {"metadata", nlohmann::json::object()},
          {"status", "Failure"},  {"message", message}, {"reason", "Expired"},
          {"code", 410}};
}

}  // namespace

std::string_view EventTypeName(EventType type) {
  switch (type) {
    case EventType::kAdded: return "ADDED";
    case EventType::kModified: return "MODIFIED";
    case EventType::kDeleted: return "DELETED";
    case EventType::kExpired: return "ERROR";
  }
  return "ERROR";
}

Subscription::Subscription(std::shared_ptr<EventRing> ring, std::string resource, std::optional<std::string> ns,
                           uint64_t cursor)
    : ring_(std::move(ring)), resource_(std::move(resource)), namespace_(std::move(ns)), cursor_(cursor) {}

uint64_t Subscription::cursor() const {
  std::lock_guard lock(ring_->mutex_);
  return cursor_;
}

void Subscription::Close() {
  {
    // Set under the ring's mutex so a Next() between its check and its wait
    // cannot miss the wake-up.
    std::lock_guard lock(ring_->mutex_);
    closed_ = true;
  }
  ring_->changed_.notify_all();
}

std::optional<Event> Subscription::Next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(ring_->mutex_);
  for (;;) {
    if (closed_ || ring_->shutdown_) {
      closed_ = true;
      return std::nullopt;
    }
    if (!gone_ && cursor_ < ring_->horizon_) {
      // Events after our cursor were evicted before we read them: the caller
      // cannot be told what it missed, so it must list again.
      expired_message_ = TooOldMessage(cursor_, ring_->horizon_);
      gone_ = true;
    }
    if (gone_) {
      closed_ = true;
      nlohmann::json status = ExpiredStatus(expired_message_);
      auto text = std::make_shared<const std::string>(status.dump());
      return Event{EventType::kExpired, 0, std::move(status), std::move(text)};
    }
    const auto& entries = ring_->entries_;
    auto it = std::upper_bound(entries.begin(), entries.end(), cursor_,
                               [](uint64_t rv, const EventRing::Entry& e) { return rv < e.rv; });
    for (; it != entries.end(); ++it) {
      // Advance past events of other resources/namespaces too, so a filtered
      // watcher's cursor (and its bookmarks) stays current.
      cursor_ = it->rv;
      if (it->resource != resource_ || (namespace_ && it->ns != *namespace_)) continue;
      std::shared_ptr<const std::string> text = it->text;
      const EventType type = it->type;
      const uint64_t rv = it->rv;
      lock.unlock();  // parse the object without holding up writers
      return Event{type, rv, nlohmann::json::parse(*text), std::move(text)};
    }
    if (ring_->changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
      // One last look: the event may have been published just at the deadline.
      if (closed_ || ring_->shutdown_ || cursor_ < ring_->horizon_ || ring_->last_rv_ > cursor_) continue;
      return std::nullopt;
    }
  }
}

std::shared_ptr<EventRing> EventRing::Create(size_t capacity, uint64_t start_rv) {
  return std::shared_ptr<EventRing>(new EventRing(std::max<size_t>(capacity, 1), start_rv));
}

void EventRing::Publish(const std::string& resource, const std::string& ns, EventType type, uint64_t rv,
                        nlohmann::json object) {
  auto shared = std::make_shared<const std::string>(object.dump());
  {
    std::lock_guard lock(mutex_);
    if (rv <= last_rv_) return;
    entries_.push_back(Entry{rv, resource, ns, type, std::move(shared)});
    last_rv_ = rv;
    while (entries_.size() > capacity_) {
      horizon_ = entries_.front().rv;
      entries_.pop_front();
    }
  }
  changed_.notify_all();
}

std::unique_ptr<Subscription> EventRing::Subscribe(const std::string& resource, const std::optional<std::string>& ns,
                                                   uint64_t since_rv) {
  std::lock_guard lock(mutex_);
  const uint64_t cursor = since_rv == 0 ? last_rv_ : since_rv;
  std::unique_ptr<Subscription> sub(new Subscription(shared_from_this(), resource, ns, cursor));
  if (shutdown_) {
    sub->closed_ = true;
  } else if (cursor < horizon_) {
    sub->expired_message_ = TooOldMessage(cursor, horizon_);
    sub->gone_ = true;
  }
  return sub;
}

uint64_t EventRing::CurrentResourceVersion() const {
  std::lock_guard lock(mutex_);
  return last_rv_;
}

bool EventRing::WaitForResourceVersion(uint64_t rv, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return last_rv_ >= rv || shutdown_; });
  return last_rv_ >= rv;
}

void EventRing::Shutdown() {
  {
    std::lock_guard lock(mutex_);
    shutdown_ = true;
  }
  changed_.notify_all();
}

}  // namespace migmon::store

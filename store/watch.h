// Watch support: an in-memory ring of the last N change events of a store,
// and subscriptions that follow it from a resourceVersion, as the Kubernetes
// watch cache does. Nothing here is durable: after a restart only events
// newer than the store's resourceVersion at open can be replayed, and older
// cursors get "410 Expired" so the client lists again.
//
// Thread-safety: EventRing is thread-safe. One mutex guards the ring; it is
// held only to push/pop entries and to move a cursor, never while an object
// is read out (entries hold shared immutable JSON text: a ring of thousands
// of events costs their size, not json trees), so many subscribers
// waiting at once do not hold up writers. Waiting subscribers share one
// condition_variable that every Publish broadcasts on.
// A Subscription's Next() must be called from one thread at a time; Close()
// and closed()/gone() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace migmon::store {

enum class EventType { kAdded, kModified, kDeleted, kExpired };

// The watch wire name: "ADDED", "MODIFIED", "DELETED"; kExpired is "ERROR".
std::string_view EventTypeName(EventType type);

struct Event {
  EventType type = EventType::kAdded;
  // The resourceVersion of the change (0 for kExpired).
  uint64_t rv = 0;
  // The object after the change (for DELETED its final state); for kExpired
  // a metav1.Status {code 410, reason "Expired", message "too old resource
  // version: X (Y)"} that the HTTP layer sends as an ERROR event.
  nlohmann::json object;
  // The same object as JSON text (object.dump()), shared with the ring: a
  // watcher that sends it unchanged need not dump `object` again.
  std::shared_ptr<const std::string> text;
};

class EventRing;

class Subscription {
 public:
  ~Subscription() = default;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  // The next event with rv > cursor for this subscription's resource and
  // namespace, waiting up to `timeout`. nullopt on timeout, or when closed
  // (Close(), the store's Shutdown(), or after a kExpired was returned:
  // closed() tells which). When the cursor has fallen out of the ring (a slow
  // reader, or a too-old since_rv) it returns one kExpired event and closes.
  std::optional<Event> Next(std::chrono::milliseconds timeout);

  // Ends the subscription and wakes a Next() blocked in another thread.
  void Close();
  bool closed() const { return closed_.load(); }
  // True once the subscription's cursor is known to be older than the ring
  // (at Subscribe for a too-old since_rv: the caller may answer 410 at once).
  bool gone() const { return gone_.load(); }
  // The rv this subscription has seen up to (delivered or filtered out):
  // a safe resourceVersion for a bookmark sent to this watcher.
  uint64_t cursor() const;

 private:
  friend class EventRing;
  Subscription(std::shared_ptr<EventRing> ring, std::string resource, std::optional<std::string> ns,
               uint64_t cursor);

  std::shared_ptr<EventRing> ring_;
  const std::string resource_;
  const std::optional<std::string> namespace_;
  uint64_t cursor_;  // guarded by ring_->mutex_
  std::string expired_message_;  // guarded by ring_->mutex_; set with gone_
  std::atomic<bool> closed_{false};
  std::atomic<bool> gone_{false};
};

class EventRing : public std::enable_shared_from_this<EventRing> {
 public:
  // Keeps the last `capacity` (at least 1) events. `start_rv` is the store's
  // resourceVersion when the ring starts empty: cursors at or after it are
  // complete, older ones are gone.
  static std::shared_ptr<EventRing> Create(size_t capacity, uint64_t start_rv);

  // Appends one committed change. Callers publish in strictly increasing rv
  // order (the store serialises its writers); an out-of-order rv is dropped.
  void Publish(const std::string& resource, const std::string& ns, EventType type, uint64_t rv,
               nlohmann::json object);

  // A subscription to `resource` (all namespaces when `ns` is nullopt) from
  // `since_rv` (0: from now). A since_rv older than the oldest event kept
  // (and not the current rv) yields a gone() subscription; after Shutdown()
  // a closed() one.
  std::unique_ptr<Subscription> Subscribe(const std::string& resource, const std::optional<std::string>& ns,
                                          uint64_t since_rv);

  // The rv of the last event published (start_rv before any).
  uint64_t CurrentResourceVersion() const;
  // Waits up to `timeout` for CurrentResourceVersion() to reach `rv`; false
  // when it did not (or the ring was shut down first).
  bool WaitForResourceVersion(uint64_t rv, std::chrono::milliseconds timeout) const;

  // Wakes and closes every subscription, now and later.
  void Shutdown();

 private:
  friend class Subscription;
  struct Entry {
    uint64_t rv;
    std::string resource;
    std::string ns;
    EventType type;
    std::shared_ptr<const std::string> text;  // the object, dumped
  };
  EventRing(size_t capacity, uint64_t start_rv) : capacity_(capacity), horizon_(start_rv), last_rv_(start_rv) {}

  const size_t capacity_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::deque<Entry> entries_;  // ascending rv
  // Every change with rv > horizon_ is in entries_: the start rv, then the rv
  // of the last event evicted. Kubernetes reports this as "(Y)" in 410s.
  uint64_t horizon_;
  uint64_t last_rv_;
  bool shutdown_ = false;
};

}  // namespace migmon::store

// A durable store of Kubernetes-style JSON objects, one table shared by all
// resources (keyed by resource, namespace, name), with Kubernetes semantics:
// uid/creationTimestamp/resourceVersion set by the store, one global
// monotonically increasing resourceVersion across every write (as etcd's
// revision), optimistic concurrency on Update, and a watch of committed
// changes (see store/watch.h).
//
// Durability: the file is SQLite (WAL, synchronous=NORMAL, util/sqlite.h);
// every mutation, its resourceVersion and its counters are one transaction,
// so a process killed at any point loses no write that returned success, and
// after reopening the counters continue (no resourceVersion is reused).
// One process owns the file at a time.
//
// Events are published only after their transaction has committed, and in
// resourceVersion order (writers are serialised). The store validates
// identity (name present and immutable), not names' syntax or the object's
// schema: that is the API layer's job.
//
// Start-up: a stored row that cannot be served (its body is not a JSON
// object, or its metadata does not carry the row's namespace and name: a
// corrupted or hand-edited file) must not cost the others. Open moves it to
// the `quarantine` table of the same file (body kept as it was, with why
// and when), logs its key, and serves the rest; QuarantinedCount() says how
// many rows the quarantine holds.
//
// Errors never throw: a failed SQLite call (or a mutate function that
// throws) gives code 500 with the message, and is logged.
//
// Thread-safety: all methods are thread-safe. Writes are serialised by one
// mutex held across the transaction and the publish; reads only take the
// database's own mutex, and watchers wait on the event ring, not on writers.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/watch.h"
#include "util/clock.h"
#include "util/sqlite.h"

namespace migmon::store {

struct StoredObject {
  nlohmann::json object;  // metadata.resourceVersion is std::to_string(rv); null when read as `body` only
  std::string body;       // the object as stored JSON text, when ListPage::bodies
  uint64_t seq = 0;       // arrival order: set by Create, kept by Update
  uint64_t rv = 0;
};

// One page of a list: what a client's limit and continue ask for, read from
// the database page by page (a list of 10,000 objects in pages of 500 reads
// each object once, not once per page).
struct ListPage {
  std::optional<std::pair<std::string, std::string>> after;  // (namespace, name): start after it
  size_t limit = 0;                                           // at most this many items; 0: all
  // Keeps an item when true (label and field selectors); empty: every item.
  std::function<bool(const nlohmann::json& object)> filter;
  // Items come as their stored text (`body`), parsed only for the filter: a
  // list served as it is stored costs a copy, not a parse and a dump.
  bool bodies = false;
};

struct ListResult {
  std::vector<StoredObject> items;  // ordered by namespace, then name (byte order)
  bool more = false;                // the limit cut the list: items follow the last one
  std::pair<std::string, std::string> last;  // (namespace, name) of the last item (a next page's `after`)
  // How many items follow, when `more` and no filter was given (with one
  // they are not read, as kube-apiserver omits the count with a selector).
  std::optional<size_t> remaining;
  // The store's resourceVersion at the list: watch from here to miss nothing.
  uint64_t resource_version = 0;
  int code = 200;  // 500 (and message) when the database failed
  std::string message;
};

struct Result {
  // 200 OK, 201 Created, 400 bad object (not an object, no name, identity
  // changed by Update), 404 NotFound, 409 AlreadyExists/Conflict, 500.
  int code = 500;
  // The Kubernetes StatusReason for a failure ("AlreadyExists", "Conflict",
  // "NotFound", "BadRequest", "InternalError"), empty on success.
  std::string reason;
  std::string message;
  // The object as stored after the call (Delete: its final state, carrying
  // the deletion's resourceVersion). 404/500: null; 409: the current object
  // for an Update conflict, null for a Create.
  nlohmann::json object;
  uint64_t seq = 0;
  uint64_t rv = 0;
  bool ok() const { return code >= 200 && code < 300; }
};

class ObjectStore {
 public:
  static constexpr size_t kDefaultEventCapacity = 4096;

  // Opens (creating) the SQLite file at `path` (its directory must exist),
  // e.g. dataDir + "/objects.db". `event_capacity`: how many recent events
  // the watch ring keeps. `clock` stamps creationTimestamp and a quarantined
  // row's time; it must outlive the store. nullptr and `error` on failure.
  static std::unique_ptr<ObjectStore> Open(const std::string& path, std::string& error,
                                           size_t event_capacity = kDefaultEventCapacity,
                                           const Clock& clock = RealClock());
  ~ObjectStore();  // Shutdown(): wakes every subscriber
  ObjectStore(const ObjectStore&) = delete;
  ObjectStore& operator=(const ObjectStore&) = delete;

  // Stores a new object: `object.metadata.name` is required, `.namespace`
  // optional (absent: cluster-scoped, ""). Sets metadata.uid (UUID v4),
  // .creationTimestamp (now, RFC 3339 UTC seconds) and .resourceVersion,
  // overwriting any given; assigns the next arrival sequence number. 201,
  // or 409 AlreadyExists when the name is taken. Emits ADDED.
  Result Create(const std::string& resource, nlohmann::json object);
  // As Create, but when metadata.name is empty, names the object
  // GenerateName(metadata.generateName) and retries on a name clash up to
  // `attempts` times. 400 when neither name nor generateName is given.
  Result CreateWithGenerateName(const std::string& resource, nlohmann::json object, int attempts = 8);

  // nullopt when absent (or on a database error, which is logged).
  std::optional<StoredObject> Get(const std::string& resource, const std::string& ns, const std::string& name) const;
  // Every object of `resource`, in namespace `ns` or in all (nullopt).
  ListResult List(const std::string& resource, const std::optional<std::string>& ns) const {
    return List(resource, ns, ListPage{});
  }
  // The page of those that `page` asks for.
  ListResult List(const std::string& resource, const std::optional<std::string>& ns, const ListPage& page) const;

  // Atomic read-modify-write: `mutate` edits the current object inside the
  // transaction. It returns false to write nothing (200, current object).
  // If the result equals the current object (ignoring resourceVersion)
  // nothing is written and no event is emitted (200, current object, same
  // rv). Otherwise the new state gets the next resourceVersion and emits
  // MODIFIED. creationTimestamp is kept whatever mutate does; changing
  // namespace, name or uid is 400. 404 when absent; 409 Conflict when
  // `expected_rv` is given and differs from the object's rv. `mutate` must
  // not call back into this store (writers are serialised).
  Result Update(const std::string& resource, const std::string& ns, const std::string& name,
                const std::function<bool(nlohmann::json& object)>& mutate,
                std::optional<uint64_t> expected_rv = std::nullopt);

  // Removes the object: 200 with its final state under a new
  // resourceVersion, 404 when absent. Emits DELETED with that state.
  Result Delete(const std::string& resource, const std::string& ns, const std::string& name);

  // Watches `resource` (namespace `ns`, or all) for changes after
  // `since_rv` (0: from now; list first, then watch from the list's
  // resource_version). See EventRing::Subscribe for "gone".
  std::unique_ptr<Subscription> Subscribe(const std::string& resource, const std::optional<std::string>& ns,
                                          uint64_t since_rv);
  // The resourceVersion of the last change published to watchers.
  uint64_t CurrentResourceVersion() const;
  // Rows in the quarantine table (see above), as of Open.
  uint64_t QuarantinedCount() const { return quarantined_; }
  // Waits up to `timeout` for the store to reach `rv` (a client asking for a
  // version newer than ours); false when it did not.
  bool WaitForResourceVersion(uint64_t rv, std::chrono::milliseconds timeout) const;
  // Closes every subscription (present and future) so no HTTP thread stays
  // blocked at exit. Reads and writes keep working.
  void Shutdown();

 private:
  ObjectStore(std::unique_ptr<sqlite::Database> db, std::shared_ptr<EventRing> ring, uint64_t quarantined,
              const Clock& clock)
      : clock_(clock), db_(std::move(db)), ring_(std::move(ring)), quarantined_(quarantined) {}

  const Clock& clock_;
  std::unique_ptr<sqlite::Database> db_;
  std::shared_ptr<EventRing> ring_;
  const uint64_t quarantined_;
  // Held from a write's BEGIN to its Publish, so events leave in rv order.
  std::mutex write_mutex_;
};

}  // namespace migmon::store

#include "store/object_store.h"

#include "util/time_format.h"

#include <exception>

#include "store/names.h"
#include "util/log.h"

namespace migmon::store {
namespace {

using nlohmann::json;
using sqlite::Row;

constexpr const char* kRvKey = "resourceVersion";
constexpr const char* kSeqKey = "arrivalSequence";

Result Fail(int code, std::string reason, std::string message, json object = nullptr) {
  Result r;
  r.code = code;
  r.reason = std::move(reason);
  r.message = std::move(message);
  r.object = std::move(object);
  return r;
}

Result Ok(int code, json object, uint64_t seq, uint64_t rv) {
  Result r;
  r.code = code;
  r.object = std::move(object);
  r.seq = seq;
  r.rv = rv;
  return r;
}

// Kubernetes' messages, so clients show users what kubectl would.
std::string Quoted(const std::string& resource, const std::string& name) {
  return resource + " \"" + name + "\"";
}

uint64_t AsU64(const sqlite::Value& v) {
  const auto* i = std::get_if<int64_t>(&v);
  return i ? static_cast<uint64_t>(*i) : 0;
}

std::string AsText(const sqlite::Value& v) {
  const auto* s = std::get_if<std::string>(&v);
  return s ? *s : std::string();
}

// metadata.<key> as a string: "" when absent, nullopt when not a string.
std::optional<std::string> MetaString(const json& object, const char* key) {
  const auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return std::string();
  const auto it = meta->find(key);
  if (it == meta->end() || it->is_null()) return std::string();
  if (!it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

void LogDatabaseError(const std::string& path, const char* op, const std::string& resource,
                      const std::string& message) {
  log::Error("object store operation failed",
             {{"path", path}, {"op", op}, {"resource", resource}, {"error", message}});
}

// The counters live in `meta`; reading and writing them inside the write's
// transaction makes them exactly as durable as the object itself.
bool ReadCounter(sqlite::Database& db, const char* key, uint64_t& value, std::string& error) {
  bool found = false;
  if (!db.Run("SELECT value FROM meta WHERE key = ?1", {std::string(key)}, error, [&](const Row& row) {
        value = AsU64(row[0]);
        found = true;
      })) {
    return false;
  }
  if (!found) error = std::string("meta row missing: ") + key;
  return found;
}

bool WriteCounter(sqlite::Database& db, const char* key, uint64_t value, std::string& error) {
  return db.Run("UPDATE meta SET value = ?2 WHERE key = ?1", {std::string(key), static_cast<int64_t>(value)}, error);
}

struct Current {
  uint64_t seq = 0;
  uint64_t rv = 0;
  json object;
};

// Reads one row; false with `error` set on a database or JSON error, false
// with `error` empty when absent.
bool ReadObject(sqlite::Database& db, const std::string& resource, const std::string& ns, const std::string& name,
                Current& out, std::string& error) {
  bool found = false;
  std::string body;
  if (!db.Run("SELECT seq, rv, body FROM objects WHERE resource = ?1 AND namespace = ?2 AND name = ?3",
              {resource, ns, name}, error, [&](const Row& row) {
                out.seq = AsU64(row[0]);
                out.rv = AsU64(row[1]);
                body = AsText(row[2]);
                found = true;
              })) {
    return false;
  }
  if (!found) return false;
  out.object = json::parse(body, nullptr, false);
  if (out.object.is_discarded()) {
    error = "stored body of " + Quoted(resource, name) + " is not JSON";
    return false;
  }
  return true;
}

// Why a stored row cannot be served, or "" when it can.
std::string Unservable(const std::string& ns, const std::string& name, const std::string& body) {
  const json object = json::parse(body, nullptr, false);
  if (object.is_discarded()) return "the body is not valid JSON";
  if (!object.is_object()) return std::string("the body is a JSON ") + object.type_name() + ", not an object";
  const auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return "metadata is not an object";
  if (MetaString(object, "name") != name || MetaString(object, "namespace") != ns) {
    return "metadata.namespace/name differ from the row's key";
  }
  return "";
}

// Moves every unservable row of `objects` to `quarantine`; the caller's
// transaction makes the move all or nothing. `count` is the quarantine's size after.
bool QuarantineUnservable(sqlite::Database& db, const std::string& path, double now, uint64_t& count,
                          std::string& error) {
  struct Bad {
    std::string resource, ns, name, why;
  };
  std::vector<Bad> bad;
  if (!db.Run("CREATE TABLE IF NOT EXISTS quarantine (resource TEXT, namespace TEXT, name TEXT, uid TEXT, "
              "seq INTEGER, rv INTEGER, body TEXT, reason TEXT NOT NULL, quarantined_at TEXT NOT NULL)",
              {}, error) ||
      !db.Run("SELECT resource, namespace, name, body FROM objects", {}, error, [&](const Row& row) {
        std::string why = Unservable(AsText(row[1]), AsText(row[2]), AsText(row[3]));
        if (!why.empty()) bad.push_back({AsText(row[0]), AsText(row[1]), AsText(row[2]), std::move(why)});
      })) {
    return false;
  }
  for (const Bad& b : bad) {
    const std::vector<sqlite::Value> key = {b.resource, b.ns, b.name, b.why, Rfc3339(now)};
    if (!db.Run("INSERT INTO quarantine SELECT resource, namespace, name, uid, seq, rv, body, ?4, ?5 FROM objects "
                "WHERE resource = ?1 AND namespace = ?2 AND name = ?3",
                key, error) ||
        !db.Run("DELETE FROM objects WHERE resource = ?1 AND namespace = ?2 AND name = ?3",
                {b.resource, b.ns, b.name}, error)) {
      return false;
    }
    log::Error("quarantined a stored object that cannot be read; serving the others",
               {{"path", path}, {"resource", b.resource}, {"namespace", b.ns}, {"name", b.name}, {"reason", b.why}});
  }
  return db.Run("SELECT COUNT(*) FROM quarantine", {}, error, [&](const Row& row) { count = AsU64(row[0]); });
}

}  // namespace

std::unique_ptr<ObjectStore> ObjectStore::Open(const std::string& path, std::string& error, size_t event_capacity,
                                               const Clock& clock) {
  auto db = sqlite::Database::Open(path, error);
  if (!db) return nullptr;
  uint64_t rv = 0;
  uint64_t quarantined = 0;
  const bool ok = db->Transaction(
      [&] {
        return db->Run(
                   "CREATE TABLE IF NOT EXISTS objects (resource TEXT NOT NULL, namespace TEXT NOT NULL, "
                   "name TEXT NOT NULL, uid TEXT NOT NULL, seq INTEGER NOT NULL, rv INTEGER NOT NULL, "
                   "body TEXT NOT NULL, PRIMARY KEY (resource, namespace, name))",
                   {}, error) &&
               db->Run("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)", {}, error) &&
               db->Run("INSERT OR IGNORE INTO meta (key, value) VALUES (?1, 0), (?2, 0)",
                       {std::string(kRvKey), std::string(kSeqKey)}, error) &&
               ReadCounter(*db, kRvKey, rv, error) && QuarantineUnservable(*db, path, clock.Now(), quarantined, error);
      },
      error);
  if (!ok) {
    error = path + ": " + error;
    return nullptr;
  }
  // The ring starts empty at the stored rv: watchers from an older rv (from
  // before the restart) get 410 and list again.
  if (quarantined > 0) log::Warn("the object store holds quarantined rows", {{"path", path}, {"count", quarantined}});
  return std::unique_ptr<ObjectStore>(
      new ObjectStore(std::move(db), EventRing::Create(event_capacity, rv), quarantined, clock));
}

ObjectStore::~ObjectStore() { Shutdown(); }

Result ObjectStore::Create(const std::string& resource, json object) {
  if (resource.empty()) return Fail(400, "BadRequest", "resource name is required");
  if (!object.is_object()) return Fail(400, "BadRequest", "object must be a JSON object");
  if (object.contains("metadata") && !object["metadata"].is_object()) {
    return Fail(400, "BadRequest", "metadata must be a JSON object");
  }
  const auto name = MetaString(object, "name");
  const auto ns = MetaString(object, "namespace");
  if (!name || !ns) return Fail(400, "BadRequest", "metadata.name and metadata.namespace must be strings");
  if (name->empty()) return Fail(400, "BadRequest", "metadata.name is required");

  std::lock_guard write(write_mutex_);
  bool exists = false;
  uint64_t seq = 0, rv = 0;
  std::string error;
  const bool committed = db_->Transaction(
      [&] {
        try {
          if (!db_->Run("SELECT 1 FROM objects WHERE resource = ?1 AND namespace = ?2 AND name = ?3",
                        {resource, *ns, *name}, error, [&](const Row&) { exists = true; }) ||
              exists) {
            return false;
          }
          if (!ReadCounter(*db_, kRvKey, rv, error) || !ReadCounter(*db_, kSeqKey, seq, error)) return false;
          ++rv;
          ++seq;
          json& meta = object["metadata"];
          const std::string uid = NewUid();
          meta["uid"] = uid;
          meta["creationTimestamp"] = Rfc3339(clock_.Now());
          meta["resourceVersion"] = std::to_string(rv);
          return db_->Run("INSERT INTO objects (resource, namespace, name, uid, seq, rv, body) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                          {resource, *ns, *name, uid, static_cast<int64_t>(seq), static_cast<int64_t>(rv),
                           object.dump()},
                          error) &&
                 WriteCounter(*db_, kRvKey, rv, error) && WriteCounter(*db_, kSeqKey, seq, error);
        } catch (const std::exception& e) {  // e.g. json::dump of invalid UTF-8
          error = e.what();
          return false;
        }
      },
      error);
  if (exists) return Fail(409, "AlreadyExists", Quoted(resource, *name) + " already exists");
  if (!committed) {
    LogDatabaseError(db_->path(), "create", resource, error);
    return Fail(500, "InternalError", "create " + Quoted(resource, *name) + ": " + error);
  }
  ring_->Publish(resource, *ns, EventType::kAdded, rv, object);
  return Ok(201, std::move(object), seq, rv);
}

Result ObjectStore::CreateWithGenerateName(const std::string& resource, json object, int attempts) {
  if (!object.is_object() || (object.contains("metadata") && !object["metadata"].is_object())) {
    return Create(resource, std::move(object));  // Create reports the shape error
  }
  const auto name = MetaString(object, "name");
  if (!name || !name->empty()) return Create(resource, std::move(object));
  const auto prefix = MetaString(object, "generateName");
  if (!prefix || prefix->empty()) return Fail(400, "BadRequest", "metadata.name or metadata.generateName is required");
  Result last;
  for (int i = 0; i < std::max(attempts, 1); ++i) {
    object["metadata"]["name"] = GenerateName(*prefix);
    last = Create(resource, object);
    if (last.code != 409) return last;
  }
  last.message += ", the server was not able to generate a unique name for the object";
  return last;
}

std::optional<StoredObject> ObjectStore::Get(const std::string& resource, const std::string& ns,
                                             const std::string& name) const {
  Current current;
  std::string error;
  if (!ReadObject(*db_, resource, ns, name, current, error)) {
    if (!error.empty()) LogDatabaseError(db_->path(), "get", resource, error);
    return std::nullopt;
  }
  return StoredObject{std::move(current.object), {}, current.seq, current.rv};
}

ListResult ObjectStore::List(const std::string& resource, const std::optional<std::string>& ns,
                             const ListPage& page) const {
  ListResult out;
  std::string error;
  bool bad_body = false;
  std::string where = "resource = ?";
  std::vector<sqlite::Value> params = {resource};
  if (ns) {
    where += " AND namespace = ?";
    params.push_back(*ns);
  }
  if (page.after) {
    where += " AND (namespace, name) > (?, ?)";
    params.push_back(page.after->first);
    params.push_back(page.after->second);
  }
  // Without a filter the database cuts the page; one row more tells whether others follow.
  const bool cut_in_sql = page.limit > 0 && !page.filter;
  const std::string sql = "SELECT seq, rv, body, namespace, name FROM objects WHERE " + where +
                          " ORDER BY namespace, name" + (cut_in_sql ? " LIMIT " + std::to_string(page.limit + 1) : "");
  // One transaction: the items and the resourceVersion are the same snapshot.
  const bool ok = db_->Transaction(
      [&] {
        if (!ReadCounter(*db_, kRvKey, out.resource_version, error)) return false;
        if (!db_->Run(sql, params, error, [&](const Row& row) {
              if (bad_body || out.more) return;  // the page is full: the rest is only stepped over
              std::string text = AsText(row[2]);
              json object;
              if (!page.bodies || page.filter) {
                object = json::parse(text, nullptr, false);
                // A body that is not JSON was quarantined at Open: one now is a fault.
                if (object.is_discarded()) {
                  bad_body = true;
                  return;
                }
                if (page.filter && !page.filter(object)) return;
              }
              if (page.limit > 0 && out.items.size() == page.limit) {
                out.more = true;
                return;
              }
              StoredObject item{page.bodies ? json() : std::move(object), {}, AsU64(row[0]), AsU64(row[1])};
              if (page.bodies) item.body = std::move(text);
              out.items.push_back(std::move(item));
              out.last = {AsText(row[3]), AsText(row[4])};
            })) {
          return false;
        }
        if (bad_body) {
          error = "a stored body of " + resource + " is not JSON";
          return false;
        }
        if (out.more && !page.filter) {
          std::vector<sqlite::Value> rest = {resource};
          std::string rest_where = "resource = ?";
          if (ns) {
            rest_where += " AND namespace = ?";
            rest.push_back(*ns);
          }
          rest_where += " AND (namespace, name) > (?, ?)";
          rest.push_back(out.last.first);
          rest.push_back(out.last.second);
          return db_->Run("SELECT COUNT(*) FROM objects WHERE " + rest_where, rest, error,
                          [&](const Row& row) { out.remaining = AsU64(row[0]); });
        }
        return true;
      },
      error);
  if (!ok) {
    LogDatabaseError(db_->path(), "list", resource, error);
    out = ListResult{};
    out.code = 500;
    out.message = "list " + resource + ": " + error;
  }
  return out;
}

Result ObjectStore::Update(const std::string& resource, const std::string& ns, const std::string& name,
                           const std::function<bool(json& object)>& mutate, std::optional<uint64_t> expected_rv) {
  // What the transaction decided, when it wrote nothing.
  enum class Outcome { kWritten, kMissing, kConflict, kUnchanged, kInvalid, kError } outcome = Outcome::kError;
  std::lock_guard write(write_mutex_);
  Current current;
  json updated;
  uint64_t rv = 0;
  std::string error;
  const bool committed = db_->Transaction(
      [&] {
        try {
          if (!ReadObject(*db_, resource, ns, name, current, error)) {
            outcome = error.empty() ? Outcome::kMissing : Outcome::kError;
            return false;
          }
          if (expected_rv && *expected_rv != current.rv) {
            outcome = Outcome::kConflict;
            return false;
          }
          updated = current.object;
          if (!mutate(updated)) {
            outcome = Outcome::kUnchanged;
            return false;
          }
          if (!updated.is_object() || !updated.contains("metadata") || !updated["metadata"].is_object()) {
            error = "object and its metadata must stay JSON objects";
            outcome = Outcome::kInvalid;
            return false;
          }
          for (const char* key : {"namespace", "name", "uid"}) {
            if (MetaString(updated, key) != MetaString(current.object, key)) {
              error = std::string("metadata.") + key + " is immutable";
              outcome = Outcome::kInvalid;
              return false;
            }
          }
          // Kubernetes keeps the creation time and owns resourceVersion;
          // restoring both first makes "did anything change" a plain compare.
          json& meta = updated["metadata"];
          const json& old_meta = current.object["metadata"];
          for (const char* key : {"creationTimestamp", "resourceVersion"}) {
            if (old_meta.contains(key)) meta[key] = old_meta[key];
            else meta.erase(key);
          }
          if (updated == current.object) {
            outcome = Outcome::kUnchanged;
            return false;
          }
          if (!ReadCounter(*db_, kRvKey, rv, error)) return false;
          ++rv;
          meta["resourceVersion"] = std::to_string(rv);
          if (!db_->Run("UPDATE objects SET rv = ?4, body = ?5 WHERE resource = ?1 AND namespace = ?2 AND name = ?3",
                        {resource, ns, name, static_cast<int64_t>(rv), updated.dump()}, error) ||
              !WriteCounter(*db_, kRvKey, rv, error)) {
            return false;
          }
          outcome = Outcome::kWritten;
          return true;
        } catch (const std::exception& e) {  // from mutate, or json::dump of invalid UTF-8
          error = e.what();
          outcome = Outcome::kError;
          return false;
        }
      },
      error);
  if (committed) {
    ring_->Publish(resource, ns, EventType::kModified, rv, updated);
    return Ok(200, std::move(updated), current.seq, rv);
  }
  switch (outcome) {
    case Outcome::kMissing: return Fail(404, "NotFound", Quoted(resource, name) + " not found");
    case Outcome::kConflict:
      return Fail(409, "Conflict",
                  "Operation cannot be fulfilled on " + Quoted(resource, name) +
                      ": the object has been modified; please apply your changes to the latest version and try again",
                  current.object);
    case Outcome::kUnchanged: return Ok(200, std::move(current.object), current.seq, current.rv);
    case Outcome::kInvalid: return Fail(400, "BadRequest", "update " + Quoted(resource, name) + ": " + error);
    case Outcome::kWritten:
    case Outcome::kError: break;
  }
  LogDatabaseError(db_->path(), "update", resource, error);
  return Fail(500, "InternalError", "update " + Quoted(resource, name) + ": " + error);
}

Result ObjectStore::Delete(const std::string& resource, const std::string& ns, const std::string& name) {
  std::lock_guard write(write_mutex_);
  bool missing = false;
  Current current;
  uint64_t rv = 0;
  std::string error;
  const bool committed = db_->Transaction(
      [&] {
        try {
          if (!ReadObject(*db_, resource, ns, name, current, error)) {
            missing = error.empty();
            return false;
          }
          if (!ReadCounter(*db_, kRvKey, rv, error)) return false;
          ++rv;
          // The DELETED event carries the deletion's rv, as Kubernetes does,
          // so a watcher's cursor moves past it.
          if (current.object["metadata"].is_object()) {
            current.object["metadata"]["resourceVersion"] = std::to_string(rv);
          }
          return db_->Run("DELETE FROM objects WHERE resource = ?1 AND namespace = ?2 AND name = ?3",
                          {resource, ns, name}, error) &&
                 WriteCounter(*db_, kRvKey, rv, error);
        } catch (const std::exception& e) {
          error = e.what();
          return false;
        }
      },
      error);
  if (missing) return Fail(404, "NotFound", Quoted(resource, name) + " not found");
  if (!committed) {
    LogDatabaseError(db_->path(), "delete", resource, error);
    return Fail(500, "InternalError", "delete " + Quoted(resource, name) + ": " + error);
  }
  ring_->Publish(resource, ns, EventType::kDeleted, rv, current.object);
  return Ok(200, std::move(current.object), current.seq, rv);
}

std::unique_ptr<Subscription> ObjectStore::Subscribe(const std::string& resource,
                                                     const std::optional<std::string>& ns, uint64_t since_rv) {
  return ring_->Subscribe(resource, ns, since_rv);
}

uint64_t ObjectStore::CurrentResourceVersion() const { return ring_->CurrentResourceVersion(); }

bool ObjectStore::WaitForResourceVersion(uint64_t rv, std::chrono::milliseconds timeout) const {
  return ring_->WaitForResourceVersion(rv, timeout);
}

void ObjectStore::Shutdown() { ring_->Shutdown(); }

}  // namespace migmon::store

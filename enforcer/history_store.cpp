#include "enforcer/history_store.h"

#include "util/log.h"

namespace migmon::enforcer {

std::unique_ptr<SqliteHistoryStore> SqliteHistoryStore::Open(const std::string& path, std::string& error) {
  auto db = sqlite::Database::Open(path, error);
  if (!db) return nullptr;
  if (!db->Run("CREATE TABLE IF NOT EXISTS enforcer_history ("
               " node TEXT NOT NULL, uuid TEXT NOT NULL, history TEXT NOT NULL,"
               " PRIMARY KEY (node, uuid))",
               {}, error)) {
    error = path + ": " + error;
    return nullptr;
  }
  return std::unique_ptr<SqliteHistoryStore>(new SqliteHistoryStore(std::move(db)));
}

std::map<MigrationKey, MigrationHistory> SqliteHistoryStore::LoadAll() {
  std::map<MigrationKey, MigrationHistory> out;
  std::string error;
  const bool ok = db_->Run("SELECT node, uuid, history FROM enforcer_history", {}, error, [&](const sqlite::Row& row) {
    MigrationKey key{std::get<std::string>(row[0]), std::get<std::string>(row[1])};
    try {
      out[key] = nlohmann::json::parse(std::get<std::string>(row[2])).get<MigrationHistory>();
    } catch (const std::exception& e) {
      // One bad row must not cost the others: judge that migration afresh.
      log::Warn("ignoring unreadable enforcer history",
                {{"node", key.first}, {"uuid", key.second}, {"error", e.what()}});
    }
  });
  if (!ok) log::Error("cannot read enforcer histories", {{"path", db_->path()}, {"error", error}});
  return out;
}

bool SqliteHistoryStore::Put(const MigrationKey& key, const MigrationHistory& history, std::string& error) {
  return db_->Run("INSERT INTO enforcer_history (node, uuid, history) VALUES (?1, ?2, ?3)"
                  " ON CONFLICT (node, uuid) DO UPDATE SET history = excluded.history",
                  {key.first, key.second, nlohmann::json(history).dump()}, error);
}

void SqliteHistoryStore::Remove(const MigrationKey& key) {
  std::string error;
  if (!db_->Run("DELETE FROM enforcer_history WHERE node = ?1 AND uuid = ?2", {key.first, key.second}, error)) {
    log::Warn("cannot delete enforcer history", {{"node", key.first}, {"uuid", key.second}, {"error", error}});
  }
}

std::map<MigrationKey, MigrationHistory> MemoryHistoryStore::LoadAll() {
  std::lock_guard lock(mutex_);
  return rows_;
}

bool MemoryHistoryStore::Put(const MigrationKey& key, const MigrationHistory& history, std::string&) {
  std::lock_guard lock(mutex_);
  rows_[key] = history;
  return true;
}

void MemoryHistoryStore::Remove(const MigrationKey& key) {
  std::lock_guard lock(mutex_);
  rows_.erase(key);
}

}  // namespace migmon::enforcer

// Durable per-migration histories, keyed by (node, domain UUID), so a
// restarted monitor judges a running migration exactly as before.
//
// Thread-safety: implementations are thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "enforcer/history.h"
#include "util/sqlite.h"

namespace migmon::enforcer {

using MigrationKey = std::pair<std::string, std::string>;  // (node, uuid)

class HistoryStore {
 public:
  virtual ~HistoryStore() = default;
  virtual std::map<MigrationKey, MigrationHistory> LoadAll() = 0;
  // False with `error` when the write did not reach the disk.
  virtual bool Put(const MigrationKey& key, const MigrationHistory& history, std::string& error) = 0;
  virtual void Remove(const MigrationKey& key) = 0;
};

// SQLite in dataDir (enforcer.db).
class SqliteHistoryStore final : public HistoryStore {
 public:
  // nullptr and `error` when the file cannot be opened or its table created.
  static std::unique_ptr<SqliteHistoryStore> Open(const std::string& path, std::string& error);

  std::map<MigrationKey, MigrationHistory> LoadAll() override;
  bool Put(const MigrationKey& key, const MigrationHistory& history, std::string& error) override;
  void Remove(const MigrationKey& key) override;

 private:
  explicit SqliteHistoryStore(std::unique_ptr<sqlite::Database> db) : db_(std::move(db)) {}
  std::unique_ptr<sqlite::Database> db_;
};

// Kept in memory only: for tests.
class MemoryHistoryStore final : public HistoryStore {
 public:
  std::map<MigrationKey, MigrationHistory> LoadAll() override;
  bool Put(const MigrationKey& key, const MigrationHistory& history, std::string& error) override;
  void Remove(const MigrationKey& key) override;

 private:
  std::mutex mutex_;
  std::map<MigrationKey, MigrationHistory> rows_;
};

}  // namespace migmon::enforcer

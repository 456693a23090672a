// A thin RAII layer over SQLite for the state migration-monitor keeps in
// dataDir. WAL journal with synchronous=NORMAL: a committed write survives
// the process being killed at any point (it is in the OS before the call
// returns); only a power loss can take the last transactions.
//
// Files: the database and its -wal and -shm companions hold what API
// clients sent, so they are made (or narrowed to) 0600 whatever the umask;
// SQLite gives the companions the main file's mode. A file or folder that
// cannot be written fails Open with a message that says "read-only".
//
// Thread-safety: a Database serialises its own use with a mutex; statements
// are prepared and finished inside one call.
#pragma once

#include <sqlite3.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

namespace migmon::sqlite {

using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;
using Row = std::vector<Value>;

class Database {
 public:
  // Opens (creating, mode 0600) the file and sets the journal mode; nullptr
  // and `error` on failure.
  static std::unique_ptr<Database> Open(const std::string& path, std::string& error);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one statement with bound parameters (?1, ?2 ...). For a query,
  // `on_row` sees each row. False and `error` on failure.
  bool Run(const std::string& sql, const std::vector<Value>& params, std::string& error,
           const std::function<void(const Row&)>& on_row = nullptr);
  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT; rolls back when it returns false.
  bool Transaction(const std::function<bool()>& body, std::string& error);

  const std::string& path() const { return path_; }

 private:
  Database() = default;
  sqlite3* db_ = nullptr;
  std::string path_;
  std::recursive_mutex mutex_;
};

}  // namespace migmon::sqlite

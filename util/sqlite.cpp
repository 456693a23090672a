#include "util/sqlite.h"

#include "util/log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace migmon::sqlite {
namespace {

constexpr mode_t kFileMode = 0600;

std::string Why(int error) {
  if (error == EROFS) return "read-only file system";
  if (error == EACCES || error == EPERM) return std::string(std::strerror(error)) + " (read-only for this user)";
  return std::strerror(error);
}

// Creates `path` 0600 or narrows it (and companions left by an earlier run)
// to 0600, before SQLite opens it with its own default of 0644 & ~umask. A
// file that is writable but not ours to narrow (a volume owned by another
// user) is served all the same, with a warning.
bool PrepareFiles(const std::string& path, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kFileMode);
  if (fd < 0) {
    error = "cannot open " + path + ": " + Why(errno);
    return false;
  }
  const bool narrowed = ::fchmod(fd, kFileMode) == 0;
  const int fchmod_error = errno;
  ::close(fd);
  if (!narrowed) log::Warn("cannot make a database file private (0600)", {{"path", path}, {"error", Why(fchmod_error)}});
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string companion = path + suffix;
    if (::chmod(companion.c_str(), kFileMode) != 0 && errno != ENOENT) {
      log::Warn("cannot make a database file private (0600)", {{"path", companion}, {"error", Why(errno)}});
    }
  }
  return true;
}

struct StatementFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

bool Bind(sqlite3_stmt* stmt, int index, const Value& v) {
  if (std::holds_alternative<std::nullptr_t>(v)) return sqlite3_bind_null(stmt, index) == SQLITE_OK;
  if (const auto* i = std::get_if<int64_t>(&v)) return sqlite3_bind_int64(stmt, index, *i) == SQLITE_OK;
  if (const auto* d = std::get_if<double>(&v)) return sqlite3_bind_double(stmt, index, *d) == SQLITE_OK;
  const auto& s = std::get<std::string>(v);
  return sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT) == SQLITE_OK;
}

Value Column(sqlite3_stmt* stmt, int index) {
  switch (sqlite3_column_type(stmt, index)) {
    case SQLITE_INTEGER: return static_cast<int64_t>(sqlite3_column_int64(stmt, index));
    case SQLITE_FLOAT: return sqlite3_column_double(stmt, index);
    case SQLITE_NULL: return nullptr;
    default: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, index));
      return std::string(text ? text : "", static_cast<size_t>(sqlite3_column_bytes(stmt, index)));
    }
  }
}

}  // namespace

std::unique_ptr<Database> Database::Open(const std::string& path, std::string& error) {
  if (!PrepareFiles(path, error)) return nullptr;
  std::unique_ptr<Database> db(new Database());
  db->path_ = path;
  if (sqlite3_open_v2(path.c_str(), &db->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    error = "cannot open " + path + ": " + (db->db_ ? sqlite3_errmsg(db->db_) : "out of memory");
    return nullptr;
  }
  if (sqlite3_db_readonly(db->db_, "main") == 1) {
    error = path + " opened read-only; the monitor must be able to write it";
    return nullptr;
  }
  sqlite3_busy_timeout(db->db_, 5000);
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"}) {
    if (!db->Run(pragma, {}, error, [](const Row&) {})) {
      error = path + ": " + error;
      return nullptr;
    }
  }
  return db;
}

Database::~Database() {
  if (db_) sqlite3_close(db_);
}

bool Database::Run(const std::string& sql, const std::vector<Value>& params, std::string& error,
                   const std::function<void(const Row&)>& on_row) {
  std::lock_guard lock(mutex_);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    error = sqlite3_errmsg(db_);
    return false;
  }
  StatementHandle stmt(raw);
  for (size_t i = 0; i < params.size(); ++i) {
    if (!Bind(stmt.get(), static_cast<int>(i + 1), params[i])) {
      error = sqlite3_errmsg(db_);
      return false;
    }
  }
  for (;;) {
    const int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_DONE) return true;
    if (rc != SQLITE_ROW) {
      error = sqlite3_errmsg(db_);
      return false;
    }
    if (on_row) {
      Row row;
      const int n = sqlite3_column_count(stmt.get());
      for (int c = 0; c < n; ++c) row.push_back(Column(stmt.get(), c));
      on_row(row);
    }
  }
}

bool Database::Transaction(const std::function<bool()>& body, std::string& error) {
  std::lock_guard lock(mutex_);
  if (!Run("BEGIN IMMEDIATE", {}, error)) return false;
  if (!body()) {
    std::string ignored;
    Run("ROLLBACK", {}, ignored);
    return false;
  }
  return Run("COMMIT", {}, error);
}

}  // namespace migmon::sqlite

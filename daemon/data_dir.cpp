#include "daemon/data_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "util/log.h"

namespace migmon::app {
namespace {

std::string Why(int error) {
  if (error == EROFS) return "it is on a read-only file system";
  if (error == EACCES || error == EPERM) return "it is read-only for this user (" + std::string(std::strerror(error)) + ")";
  return std::strerror(error);
}

std::string Octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode));
  return text;
}

}  // namespace

bool PrepareDataDir(const std::string& path, std::string& error) {
  const std::filesystem::path dir(path);
  std::error_code ec;
  if (dir.has_parent_path()) std::filesystem::create_directories(dir.parent_path(), ec);
  // mkdir's mode is narrowed by the umask only, never widened: 0700 or less, then exactly 0700.
  if (::mkdir(path.c_str(), 0700) == 0) {
    ::chmod(path.c_str(), 0700);
  } else if (errno != EEXIST) {
    error = "cannot create dataDir " + path + ": " + Why(errno);
    return false;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    error = "dataDir " + path + " is not a folder";
    return false;
  }
  if (st.st_mode & S_IRWXO) {
    log::Warn("dataDir is open to other users; it holds the migration objects clients sent",
              {{"data_dir", path}, {"mode", Octal(st.st_mode & 07777)}});
  }
  // Write a probe: SQLite would only say "unable to open database file".
  std::string probe = path + "/.migmon-write-test-XXXXXX";
  std::vector<char> name(probe.begin(), probe.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) {
    error = "dataDir " + path + " cannot be written: " + Why(errno);
    return false;
  }
  ::close(fd);
  ::unlink(name.data());
  return true;
}

}  // namespace migmon::app

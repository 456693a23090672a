// dataDir and its databases are private whatever the umask, and a read-only
// dataDir says so (a read-only bind mount in a mount namespace of a child).
#include "daemon/data_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "store/object_store.h"
#include "tests/unit/test_directory.h"

namespace migmon::app {
namespace {

using ::testing::HasSubstr;

mode_t ModeOf(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

class UmaskZero {
 public:
  UmaskZero() : old_(::umask(0)) {}
  ~UmaskZero() { ::umask(old_); }

 private:
  mode_t old_;
};

TEST(DataDir, CreatedPrivateWithItsDatabasesWhateverTheUmask) {
  testing_support::TestDirectory scratch;
  UmaskZero open_umask;
  const auto dir = scratch.path() / "var" / "lib" / "migmon";
  std::string error;
  ASSERT_TRUE(PrepareDataDir(dir.string(), error)) << error;
  EXPECT_EQ(ModeOf(dir), 0700u);
  auto store = store::ObjectStore::Open((dir / "objects.db").string(), error);
  ASSERT_TRUE(store) << error;
  ASSERT_EQ(store->Create("things", {{"metadata", {{"name", "a"}}}}).code, 201);
  for (const char* file : {"objects.db", "objects.db-wal", "objects.db-shm"}) {
    EXPECT_EQ(ModeOf(dir / file), 0600u) << file;
  }
}

TEST(DataDir, DatabaseFilesLeftOpenByAnEarlierRunAreNarrowed) {
  testing_support::TestDirectory scratch;
  const auto db = scratch.path() / "objects.db";
  std::string error;
  { ASSERT_TRUE(store::ObjectStore::Open(db.string(), error)) << error; }
  ASSERT_EQ(::chmod(db.c_str(), 0644), 0);
  auto store = store::ObjectStore::Open(db.string(), error);
  ASSERT_TRUE(store) << error;
  EXPECT_EQ(ModeOf(db), 0600u);
}

TEST(DataDir, AnExistingFolderIsKeptAsItsOwnerMadeIt) {
  testing_support::TestDirectory scratch;
  ASSERT_EQ(::chmod(scratch.path().c_str(), 0750), 0);
  std::string error;
  ASSERT_TRUE(PrepareDataDir(scratch.path().string(), error)) << error;
  EXPECT_EQ(ModeOf(scratch.path()), 0750u);
  EXPECT_TRUE(std::filesystem::is_empty(scratch.path()));  // the write probe is gone
  const std::string file = scratch.Write("not-a-folder", "x");
  EXPECT_FALSE(PrepareDataDir(file, error));
  EXPECT_THAT(error, HasSubstr("is not a folder"));
}

// Runs `check` in a child whose view of `dir` is a read-only bind mount;
// returns the child's message ("" when it could not set the mount up).
std::string InReadOnlyMount(const std::filesystem::path& dir, std::string (*check)(const std::string&)) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    std::string out;
    const bool isolated = ::unshare(CLONE_NEWNS) == 0 || ::unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0;
    if (isolated && ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 &&
        ::mount(dir.c_str(), dir.c_str(), nullptr, MS_BIND, nullptr) == 0 &&
        ::mount(nullptr, dir.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) == 0) {
      out = check(dir.string());
    } else {
      out = std::string("SETUP ") + std::strerror(errno);
    }
    (void)!::write(fds[1], out.data(), out.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string got;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) got.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return got;
}

TEST(DataDir, AReadOnlyDataDirSaysReadOnly) {
  testing_support::TestDirectory scratch;
  const auto dir = scratch.path() / "data";
  std::string error;
  ASSERT_TRUE(PrepareDataDir(dir.string(), error)) << error;
  { ASSERT_TRUE(store::ObjectStore::Open((dir / "objects.db").string(), error)) << error; }
  const std::string got = InReadOnlyMount(dir, [](const std::string& path) {
    std::string prepare_error, open_error;
    const bool prepared = PrepareDataDir(path, prepare_error);
    const bool opened = store::ObjectStore::Open(path + "/objects.db", open_error) != nullptr;
    return std::string(prepared ? "prepared" : prepare_error) + "|" + (opened ? "opened" : open_error);
  });
  if (got.rfind("SETUP ", 0) == 0) GTEST_SKIP() << "no mount namespace for a read-only mount here: " << got;
  EXPECT_THAT(got, HasSubstr("dataDir " + dir.string() + " cannot be written: it is on a read-only file system|"));
  EXPECT_THAT(got, HasSubstr("objects.db: read-only file system"));
}

}  // namespace
}  // namespace migmon::app

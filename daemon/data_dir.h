// dataDir, made ready before any database is opened in it.
//
// Contract: a folder created here is 0700 whatever the umask (its parents
// are created as usual); an existing one is left as its owner made it (the
// systemd unit's StateDirectoryMode, a volume's), with a warning when others
// may enter it. It must be a folder this process can write: a read-only
// file system or a folder read-only for this user is an error that says
// "read-only", rather than SQLite's "unable to open database file".
//
// Thread-safety: call before the stages start (touches the file system only).
#pragma once

#include <string>

namespace migmon::app {

bool PrepareDataDir(const std::string& path, std::string& error);

}  // namespace migmon::app

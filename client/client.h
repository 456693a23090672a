// The client half of migration-monitor: commands that drive the monitor's
// KubeVirt-compatible API (VirtualMachineInstanceMigration objects) from a
// shell, as `migration-monitor VERB ...`:
//   migrate VMI [-n NS] [--to NODE] [--priority P] [--wait]
//   get NAME [-n NS] [-o json|yaml]
//   list [-n NS | -A]
//   cancel NAME [-n NS]
//   watch [NAME] [-n NS | -A]
//   drain NODE [--wait]
// See ClientHelpText() for what each does.
//
// Connection: --server URL, else $MIGMON_SERVER, else http://127.0.0.1:9477;
// --token-file / $MIGMON_TOKEN_FILE (sent as "Authorization: Bearer
// <trimmed content>"); for https: --ca-file / $MIGMON_CA_FILE and
// --insecure-skip-tls-verify.
//
// Exit status: 0 done (for --wait and `watch NAME`: the migration
// succeeded); 1 an error from or reaching the server, or a migration that
// failed or was deleted; 2 a usage error (the message names the argument).
// Results go to stdout, errors to stderr as "error: <message>".
//
// Thread-safety: RunClient runs on the caller's thread and blocks until the
// command is done (a plain `watch` runs until killed).
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace migmon::client {

// True for the client's verbs (migrate, get, list, cancel, watch, drain):
// the binary hands such a command line to RunClient.
bool IsClientVerb(std::string_view word);

// `args` is the command line without argv[0]; args[0] is the verb. Writes to
// std::cout / std::cerr, reads the process environment, and draws live
// progress when stdout is a terminal. Returns the exit status.
int RunClient(const std::vector<std::string>& args);

// The "Client commands" section of --help, ending in "\n".
std::string ClientHelpText();

// What RunClient takes from the process, made explicit for tests.
struct ClientEnvironment {
  std::optional<std::string> server;      // $MIGMON_SERVER
  std::optional<std::string> token_file;  // $MIGMON_TOKEN_FILE
  std::optional<std::string> ca_file;     // $MIGMON_CA_FILE
  bool terminal = false;  // stdout is a terminal (and $TERM is not "dumb")
  size_t width = 80;      // its columns
};
ClientEnvironment ProcessEnvironment();
int RunClient(const std::vector<std::string>& args, const ClientEnvironment& env, std::ostream& out,
              std::ostream& err);

}  // namespace migmon::client

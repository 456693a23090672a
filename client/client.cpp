#include "client/client.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "client/api_client.h"
#include "client/args.h"
#include "client/commands.h"

namespace migmon::client {
namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr const char* kDefaultServer = "http://127.0.0.1:9477";

std::optional<std::string> Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// A value from the command line or else the environment, with the name to
// blame in a usage error.
struct Sourced {
  std::optional<std::string> value;
  std::string source;
};
Sourced Pick(const std::optional<std::string>& flag, const char* flag_name, const std::optional<std::string>& env,
             const char* env_name) {
  if (flag) return {flag, flag_name};
  return {env, env_name};
}

std::string Trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  const auto end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

// The connection settings, or ClientUsageError naming the flag or variable
// that holds a bad value. A token or CA file that cannot be read is the
// user's argument gone wrong, hence a usage error too.
ServerConfig ResolveServer(const ClientArgs& args, const ClientEnvironment& env) {
  ServerConfig config;
  const Sourced server = Pick(args.server, "--server", env.server, "MIGMON_SERVER");
  config.url = server.value.value_or(kDefaultServer);
  try {
    ParseServerUrl(config.url);
  } catch (const std::invalid_argument& e) {
    throw ClientUsageError(server.source + ": " + e.what());
  }
  if (const Sourced token = Pick(args.token_file, "--token-file", env.token_file, "MIGMON_TOKEN_FILE"); token.value) {
    std::ifstream in(*token.value, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) throw ClientUsageError(token.source + ": cannot read \"" + *token.value + "\"");
    config.token = Trim(text.str());
    if (config.token.empty()) throw ClientUsageError(token.source + ": \"" + *token.value + "\" is empty");
    if (config.token.find_first_of("\r\n") != std::string::npos) {
      throw ClientUsageError(token.source + ": \"" + *token.value + "\" holds more than one line");
    }
  }
  if (const Sourced ca = Pick(args.ca_file, "--ca-file", env.ca_file, "MIGMON_CA_FILE"); ca.value) {
    if (!std::ifstream(*ca.value)) throw ClientUsageError(ca.source + ": cannot read \"" + *ca.value + "\"");
    config.ca_file = ca.value;
  }
  config.insecure_skip_tls_verify = args.insecure_skip_tls_verify;
  return config;
}

int Dispatch(Context& ctx, const ClientArgs& args) {
  switch (args.verb) {
    case Verb::kMigrate: return RunMigrate(ctx, args);
    case Verb::kGet: return RunGet(ctx, args);
    case Verb::kList: return RunList(ctx, args);
    case Verb::kCancel: return RunCancel(ctx, args);
    case Verb::kWatch: return RunWatch(ctx, args);
    case Verb::kDrain: return RunDrain(ctx, args);
    case Verb::kHelp: break;
  }
  return kExitUsage;
}

}  // namespace

bool IsClientVerb(std::string_view word) { return IsClientVerbName(word); }

std::string ClientHelpText() {
  return R"(Client commands (talk to a running monitor's API):
  migration-monitor migrate VMI [-n NS] [--to NODE] [--priority P] [--wait]
  migration-monitor get NAME [-n NS] [-o json|yaml]
  migration-monitor list [-n NS | -A]
  migration-monitor cancel NAME [-n NS]
  migration-monitor watch [NAME] [-n NS | -A]
  migration-monitor drain NODE [--wait]

  migrate   Create a migration of the VMI and print its name. --to NODE asks for
            that target node; --priority is system-critical, user-triggered or
            system-maintenance. --wait follows it to the end: exit 0 when it
            succeeded, 1 when it failed (with the reason) or was deleted.
  get       Show one migration: phase, nodes, progress, why it waits or failed;
            -o json or -o yaml print the object.
  list      Table of the namespace's migrations (-A: every namespace).
  cancel    Delete a migration: a queued one is dropped, a running one aborted.
  watch     Print changes as they happen (on a terminal: one live progress bar
            per running migration) until interrupted. With NAME, follow that
            migration to its end, with the exit status of migrate --wait.
  drain     Create a system-critical migration for every VMI running on NODE.
            --wait follows them all; exit 1 if any did not succeed.

Client flags:
  -n, --namespace NS           Namespace (default "default").
  -A, --all-namespaces         list and watch: every namespace.
  --server URL                 The monitor's API (default $MIGMON_SERVER, else
                               http://127.0.0.1:9477); https:// uses TLS.
  --token-file FILE            Bearer token, sent as "Authorization: Bearer ..."
                               (default $MIGMON_TOKEN_FILE).
  --ca-file FILE               PEM CA bundle that signs an https server's certificate
                               (default $MIGMON_CA_FILE; else the system's CAs).
  --insecure-skip-tls-verify   Do not verify an https server's certificate.

Exit status: 0 done, 1 error (or a migration that did not succeed), 2 usage error.
)";
}

ClientEnvironment ProcessEnvironment() {
  ClientEnvironment env;
  env.server = Env("MIGMON_SERVER");
  env.token_file = Env("MIGMON_TOKEN_FILE");
  env.ca_file = Env("MIGMON_CA_FILE");
  const auto term = Env("TERM");
  env.terminal = isatty(STDOUT_FILENO) == 1 && term.value_or("") != "dumb";
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    env.width = size.ws_col;
  } else if (const auto columns = Env("COLUMNS")) {
    env.width = static_cast<size_t>(std::max(0L, std::strtol(columns->c_str(), nullptr, 10)));
    if (env.width == 0) env.width = 80;
  }
  return env;
}

int RunClient(const std::vector<std::string>& args) {
  return RunClient(args, ProcessEnvironment(), std::cout, std::cerr);
}

int RunClient(const std::vector<std::string>& args, const ClientEnvironment& env, std::ostream& out,
              std::ostream& err) {
  ClientArgs parsed;
  ServerConfig config;
  try {
    parsed = ParseClientArgs(args);
    if (parsed.verb == Verb::kHelp) {
      out << ClientHelpText();
      return 0;
    }
    config = ResolveServer(parsed, env);
  } catch (const ClientUsageError& e) {
    err << "migration-monitor: " << e.what() << "\n";
    return kExitUsage;
  }
  try {
    ApiClient api(config);
    api.set_warning_sink([&err](const std::string& text) { err << "warning: " << text << "\n"; });
    Context ctx{api, out, err, env.terminal, env.width, {}};
    return Dispatch(ctx, parsed);
  } catch (const ApiError& e) {
    out << std::flush;
    err << "error: " << e.what() << "\n";
    return kExitError;
  } catch (const nlohmann::json::exception& e) {  // a field of an unexpected JSON type
    out << std::flush;
    err << "error: unexpected answer from the server: " << e.what() << "\n";
    return kExitError;
  } catch (const std::invalid_argument& e) {  // a URL httplib cannot use (no TLS support)
    err << "migration-monitor: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace migmon::client

// The client's command line: `migration-monitor VERB ...` for the verbs
// migrate, get, list, cancel, watch and drain. Pure; throws
// ClientUsageError naming the bad argument (the caller exits 2).
//
// Flags take their value as the next argument or after "=" (--to=node-b);
// -n and -o also accept it attached (-nprod, -oyaml), as kubectl does.
// "--" ends the flags. Each verb accepts only the flags that mean something
// for it.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace migmon::client {

struct ClientUsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Verb { kMigrate, kGet, kList, kCancel, kWatch, kDrain, kHelp };
enum class OutputFormat { kSummary, kJson, kYaml };

// The priorities KubeVirt defines for a migration's spec.priority.
inline constexpr std::string_view kPriorities[] = {"system-critical", "user-triggered", "system-maintenance"};

struct ClientArgs {
  Verb verb = Verb::kHelp;
  // migrate: the VMI; get, cancel: the migration; watch: the migration or
  // empty for all; drain: the node.
  std::string target;
  std::string ns = "default";
  bool all_namespaces = false;  // list, watch: -A
  std::optional<std::string> to_node;   // migrate --to
  std::optional<std::string> priority;  // migrate --priority, one of kPriorities
  bool wait = false;                    // migrate, drain
  OutputFormat output = OutputFormat::kSummary;  // get -o
  // Connection: unset ones fall back to the environment (client/client.h).
  std::optional<std::string> server;
  std::optional<std::string> token_file;
  std::optional<std::string> ca_file;
  bool insecure_skip_tls_verify = false;
};

bool IsClientVerbName(std::string_view word);

// `args[0]` is the verb. A --help/-h anywhere gives Verb::kHelp.
ClientArgs ParseClientArgs(const std::vector<std::string>& args);

}  // namespace migmon::client

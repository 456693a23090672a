#include "client/args.h"

#include <algorithm>
#include <array>
#include <utility>

namespace migmon::client {
namespace {

struct VerbName {
  std::string_view name;
  Verb verb;
};
constexpr std::array<VerbName, 6> kVerbs = {{{"migrate", Verb::kMigrate},
                                             {"get", Verb::kGet},
                                             {"list", Verb::kList},
                                             {"cancel", Verb::kCancel},
                                             {"watch", Verb::kWatch},
                                             {"drain", Verb::kDrain}}};

// The flags each verb takes besides the connection flags.
bool Accepts(Verb verb, std::string_view flag) {
  const bool namespaced = verb != Verb::kDrain;
  if (flag == "-n" || flag == "--namespace") return namespaced;
  if (flag == "-A" || flag == "--all-namespaces") return verb == Verb::kList || verb == Verb::kWatch;
  if (flag == "--to" || flag == "--priority") return verb == Verb::kMigrate;
  if (flag == "--wait") return verb == Verb::kMigrate || verb == Verb::kDrain;
  if (flag == "-o" || flag == "--output") return verb == Verb::kGet;
  return flag == "--server" || flag == "--token-file" || flag == "--ca-file" || flag == "--insecure-skip-tls-verify";
}

bool IsSwitch(std::string_view flag) {
  return flag == "-A" || flag == "--all-namespaces" || flag == "--wait" || flag == "--insecure-skip-tls-verify";
}

// What the positional argument is called in messages; empty: none taken.
std::string_view PositionalName(Verb verb) {
  switch (verb) {
    case Verb::kMigrate: return "VMI";
    case Verb::kGet:
    case Verb::kCancel:
    case Verb::kWatch: return "NAME";
    case Verb::kDrain: return "NODE";
    case Verb::kList:
    case Verb::kHelp: break;
  }
  return "";
}

}  // namespace

bool IsClientVerbName(std::string_view word) {
  return std::any_of(kVerbs.begin(), kVerbs.end(), [&](const VerbName& v) { return v.name == word; });
}

ClientArgs ParseClientArgs(const std::vector<std::string>& args) {
  ClientArgs out;
  if (args.empty()) throw ClientUsageError("missing command (migrate, get, list, cancel, watch, drain)");
  const std::string& verb_name = args[0];
  const auto known = std::find_if(kVerbs.begin(), kVerbs.end(), [&](const VerbName& v) { return v.name == verb_name; });
  if (known == kVerbs.end()) throw ClientUsageError("unknown command \"" + verb_name + "\"; see --help");
  out.verb = known->verb;
  const std::string_view positional = PositionalName(out.verb);
  bool namespace_given = false;
  bool flags_done = false;
  std::vector<std::string> positionals;

  for (size_t i = 1; i < args.size(); ++i) {
    std::string flag = args[i];
    if (flags_done || flag.empty() || flag[0] != '-' || flag == "-") {
      positionals.push_back(flag);
      continue;
    }
    if (flag == "--") {
      flags_done = true;
      continue;
    }
    if (flag == "--help" || flag == "-h") {
      out.verb = Verb::kHelp;
      return out;
    }
    std::optional<std::string> value;
    if (const auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    } else if ((flag.rfind("-n", 0) == 0 || flag.rfind("-o", 0) == 0) && flag.size() > 2) {
      value = flag.substr(2);  // -nprod, -oyaml
      flag = flag.substr(0, 2);
    }
    if (!Accepts(out.verb, flag)) {
      throw ClientUsageError("unknown flag \"" + flag + "\" for " + verb_name + "; see --help");
    }
    if (IsSwitch(flag)) {
      if (value) throw ClientUsageError(flag + " takes no value");
    } else if (!value) {
      if (i + 1 >= args.size()) throw ClientUsageError(flag + " needs a value");
      value = args[++i];
    }
    if (value && value->empty()) throw ClientUsageError(flag + " needs a non-empty value");

    if (flag == "-n" || flag == "--namespace") {
      out.ns = *value;
      namespace_given = true;
    } else if (flag == "-A" || flag == "--all-namespaces") {
      out.all_namespaces = true;
    } else if (flag == "--to") {
      out.to_node = *value;
    } else if (flag == "--priority") {
      if (std::find(std::begin(kPriorities), std::end(kPriorities), *value) == std::end(kPriorities)) {
        throw ClientUsageError("--priority: \"" + *value +
                               "\" is not system-critical, user-triggered or system-maintenance");
      }
      out.priority = *value;
    } else if (flag == "--wait") {
      out.wait = true;
    } else if (flag == "-o" || flag == "--output") {
      if (*value == "json") {
        out.output = OutputFormat::kJson;
      } else if (*value == "yaml") {
        out.output = OutputFormat::kYaml;
      } else {
        throw ClientUsageError(flag + ": \"" + *value + "\" is not json or yaml");
      }
    } else if (flag == "--server") {
      out.server = *value;
    } else if (flag == "--token-file") {
      out.token_file = *value;
    } else if (flag == "--ca-file") {
      out.ca_file = *value;
    } else if (flag == "--insecure-skip-tls-verify") {
      out.insecure_skip_tls_verify = true;
    }
  }

  if (positionals.size() > (positional.empty() ? 0u : 1u)) {
    const std::string& extra = positionals[positional.empty() ? 0 : 1];
    throw ClientUsageError("unexpected argument \"" + extra + "\" for " + verb_name + "; see --help");
  }
  if (!positionals.empty()) out.target = positionals[0];
  const bool optional_target = out.verb == Verb::kWatch;
  if (!positional.empty() && out.target.empty() && !optional_target) {
    throw ClientUsageError(verb_name + " needs " + std::string(positional));
  }
  if (out.all_namespaces && namespace_given) throw ClientUsageError("-A and -n exclude each other");
  if (out.all_namespaces && !out.target.empty()) {
    throw ClientUsageError("-A watches every migration; drop it to watch \"" + out.target + "\"");
  }
  return out;
}

}  // namespace migmon::client

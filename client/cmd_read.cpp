// get, list and cancel: one request each.
#include <chrono>

#include "client/commands.h"
#include "client/migration_view.h"
#include "client/paths.h"
#include "client/render.h"
#include "client/yaml.h"

namespace migmon::client {

int RunGet(Context& ctx, const ClientArgs& args) {
  const nlohmann::json object = ctx.api.Get(MigrationPath(args.ns, args.target));
  switch (args.output) {
    case OutputFormat::kJson: ctx.out << object.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n"; break;
    case OutputFormat::kYaml: ctx.out << ToYaml(object); break;
    case OutputFormat::kSummary: ctx.out << SummaryOf(object); break;
  }
  return 0;
}

int RunList(Context& ctx, const ClientArgs& args) {
  const auto ns = args.all_namespaces ? std::nullopt : std::optional<std::string>(args.ns);
  const nlohmann::json list = ctx.api.Get(MigrationsPath(ns));
  const nlohmann::json items = list.is_object() ? list.value("items", nlohmann::json::array()) : nlohmann::json::array();
  if (!items.is_array() || items.empty()) {
    // On stderr, as kubectl does, so a script reading the table sees none.
    ctx.err << (ns ? "No migrations found in namespace " + *ns + ".\n" : std::string("No migrations found.\n"));
    return 0;
  }
  ctx.out << ListTable(items, std::chrono::system_clock::now());
  return 0;
}

int RunCancel(Context& ctx, const ClientArgs& args) {
  const std::string path = MigrationPath(args.ns, args.target);
  // The state before the DELETE says what it did when the answer is a bare
  // Status (a queued or finished migration is simply removed).
  const MigrationView before = ViewOf(ctx.api.Get(path));
  const nlohmann::json answer = ctx.api.Delete(path);
  const std::string& name = args.target;
  const bool is_object = answer.is_object() && answer.value("kind", "") != "Status" && answer.contains("metadata");
  const MigrationView view = is_object ? ViewOf(answer) : before;
  // A running migration cannot vanish mid-copy: the server asks libvirt to
  // abort and answers with the object showing the request.
  if (is_object && (view.abort_requested || !view.abort_status.empty())) {
    std::string was = view.phase;
    if (const auto pct = PercentOf(view)) was += ", " + std::to_string(*pct) + "%";
    ctx.out << name << ": abort requested (it was " << was << ")";
    if (!view.abort_status.empty()) ctx.out << "; abort " << view.abort_status;
    ctx.out << "\n";
  } else if (IsFinalPhase(view.phase)) {
    ctx.out << name << ": deleted (it had " << view.phase << ")\n";
  } else if (view.phase == "Pending") {
    ctx.out << name << ": dropped from the queue (it had not started)\n";
  } else {
    ctx.out << name << ": deleted (it was " << view.phase << ")\n";
  }
  return 0;
}

}  // namespace migmon::client

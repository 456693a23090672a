// watch: stream the namespace's (or every namespace's) migrations, or follow
// one migration to its end.
#include <chrono>

#include "client/commands.h"
#include "client/migration_view.h"
#include "client/paths.h"

namespace migmon::client {

int RunWatch(Context& ctx, const ClientArgs& args) {
  Presenter presenter(ctx.out, {.terminal = ctx.terminal, .width = ctx.width, .with_namespace = args.all_namespaces});
  const auto ns = args.all_namespaces ? std::nullopt : std::optional<std::string>(args.ns);
  if (!args.target.empty()) {
    // One migration: like `migrate --wait`, it ends with the migration, so
    // scripts can wait on a migration someone else started.
    const FollowSpec spec{MigrationsPath(ns), args.target, std::nullopt};
    const std::string key = args.ns + "/" + args.target;
    const auto outcomes = AwaitMigrations(ctx, spec, {key}, presenter);
    const auto it = outcomes.find(key);
    return it != outcomes.end() && it->second == Outcome::kSucceeded ? 0 : 1;
  }
  if (ctx.terminal) {
    ctx.err << "Watching migrations " << (ns ? "in namespace " + *ns : std::string("in all namespaces"))
            << "; Ctrl-C stops.\n";
  }
  FollowPolicy policy = ctx.follow;
  policy.on_retry = [&presenter](const std::string& why) { presenter.Note("lost the watch (" + why + "); retrying"); };
  Follow(
      ctx.api, {MigrationsPath(ns), std::nullopt, std::nullopt},
      [&](const WatchEvent& event) {
        // The list brings every migration still stored; finished ones are
        // history, not changes.
        if (event.listed && event.type == "ADDED" && IsFinalPhase(ViewOf(event.object).phase)) return true;
        presenter.OnEvent(event.type, event.object, std::chrono::steady_clock::now());
        return true;
      },
      policy);
  return 0;
}

}  // namespace migmon::client

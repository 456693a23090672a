// migrate: create one migration, and with --wait follow it to the end.
#include <chrono>

#include "client/commands.h"
#include "client/migration_view.h"
#include "client/paths.h"

namespace migmon::client {

std::map<std::string, Outcome> AwaitMigrations(Context& ctx, const FollowSpec& spec, const std::set<std::string>& keys,
                                               Presenter& presenter) {
  std::map<std::string, Outcome> outcomes;
  if (keys.empty()) return outcomes;
  FollowPolicy policy = ctx.follow;
  policy.on_retry = [&presenter](const std::string& why) { presenter.Note("lost the watch (" + why + "); retrying"); };
  Follow(
      ctx.api, spec,
      [&](const WatchEvent& event) {
        const std::string key = KeyOf(ViewOf(event.object));
        if (!keys.count(key) || outcomes.count(key)) return true;
        const Outcome outcome = presenter.OnEvent(event.type, event.object, std::chrono::steady_clock::now());
        if (outcome != Outcome::kActive) outcomes[key] = outcome;
        return outcomes.size() < keys.size();
      },
      policy);
  presenter.Finish();
  return outcomes;
}

int RunMigrate(Context& ctx, const ClientArgs& args) {
  nlohmann::json spec = {{"vmiName", args.target}};
  if (args.to_node) spec["addedNodeSelector"] = {{"kubernetes.io/hostname", *args.to_node}};
  if (args.priority) spec["priority"] = *args.priority;
  const nlohmann::json body = {
      {"apiVersion", kApiVersion},
      {"kind", kMigrationKind},
      {"metadata", {{"generateName", args.target + "-migration-"}, {"namespace", args.ns}}},
      {"spec", spec},
  };
  nlohmann::json created = ctx.api.Post(MigrationsPath(args.ns), body);
  const MigrationView view = ViewOf(created);
  // The name alone, so scripts can take it: NAME=$(migration-monitor migrate vm1).
  ctx.out << view.name << "\n" << std::flush;
  if (!args.wait) return 0;

  Presenter presenter(ctx.out, {.terminal = ctx.terminal, .width = ctx.width});
  const FollowSpec follow{MigrationsPath(args.ns), view.name, std::move(created)};
  const auto outcomes = AwaitMigrations(ctx, follow, {KeyOf(view)}, presenter);
  const auto it = outcomes.find(KeyOf(view));
  return it != outcomes.end() && it->second == Outcome::kSucceeded ? 0 : 1;
}

}  // namespace migmon::client

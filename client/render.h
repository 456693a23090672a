// What the client prints about migrations: progress lines, state-change
// lines, the `get` summary and the `list` table. Pure functions of the
// objects (and of `now` for ages): thread-safe, unit-tested, no I/O, no
// terminal escapes (client/live.h adds those).
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "client/migration_view.h"

namespace migmon::client {

// One line of live progress for a migration object, without a newline.
// terminal: a compact bar for redrawing in place,
//   "vm1-migration-x7k2p [#########...........]  45%  1.1 GiB left  118.3 MiB/s  ETA 9s  iter 3  PreCopy  Running"
// otherwise a sentence for logs,
//   "vm1-migration-x7k2p: Running 45%, 1.1 GiB left, 118.3 MiB/s, ETA 9s, iteration 3, PreCopy".
// Fields the server did not send are left out. The rate is memory plus disk
// transfer. with_namespace: name the migration "ns/name".
std::string ProgressLine(const nlohmann::json& object, bool terminal, bool with_namespace = false);
std::string ProgressLine(const MigrationView& view, bool terminal, bool with_namespace = false);

// The lines announcing what changed from `before` (nullptr: first sight) to
// `now`: the phase (Pending with the server's reason, Running with the
// nodes, Succeeded with the duration, Failed with the reason), a switch to
// post-copy, an abort request and its outcome. Empty when nothing of that
// changed (progress alone is ProgressLine's business).
std::vector<std::string> ChangeLines(const MigrationView* before, const MigrationView& now, bool with_namespace);
// "vm1-migration-x7k2p: deleted".
std::string DeletedLine(const MigrationView& last, bool with_namespace);

// `get`: "Label:  value" lines (name, namespace, VMI, phase, nodes,
// progress, why it waits, failure reason, abort), each ending in "\n".
std::string SummaryOf(const nlohmann::json& object);

// `list`: NAMESPACE NAME VMI PHASE SOURCE TARGET PROGRESS AGE, rows ordered
// by namespace, then creation time, then name. `items` is a list's "items"
// array (anything else gives the header alone).
std::string ListTable(const nlohmann::json& items, std::chrono::system_clock::time_point now);

}  // namespace migmon::client

// What the enforcer remembers about one migration between samples: the
// memory passes with the level each started at, when the migration last made
// real progress, and what was already done about it. It is persisted to
// dataDir (enforcer/history_store.h) before any action is taken on it, so a
// restarted monitor judges the migration exactly as before.
//
// Times are wall-clock seconds since the epoch: they must survive a restart.
// Value type; not thread-safe by itself.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace migmon::enforcer {

// How the start of a pass was seen. At its event the start is the level
// read then; a poll that finds a new pass knows it started between the
// previous sample and this one; a pass found at discovery, or after a gap of
// more than one pass, has only the level first seen as a lower bound.
enum class PassStart { kAtEvent, kByPoll, kUnseen };

struct PassRecord {
  uint64_t iteration = 0;    // libvirt memory_iteration; 0 = a block migration's disk phase
  // Bounds of the level (memory + disk) the pass started at; equal when it
  // is known. Unbounded above: UINT64_MAX.
  uint64_t start_level = 0;
  uint64_t start_upper = 0;
  PassStart start = PassStart::kUnseen;
  uint64_t low = 0;          // lowest level seen during the pass
  bool productive = false;   // falling counts as progress
  // Each of the first samples of a pass puts its start at (its level + what
  // was sent since the pass was first seen); the median of these is the
  // lower bound, so that one noisy sample cannot move it.
  uint64_t sent_at_first = 0;
  double first_seen_at = 0;  // when; with sent_at_first, the pass's average send rate
  std::vector<uint64_t> estimates;
};

struct MigrationHistory {
  double job_started_at = 0;    // now - elapsed at discovery: tells this job from a later one
  double discovered_at = 0;
  double last_progress_at = 0;  // starts at discovery: a stall is counted from there
  // Data sent in a burst covers the time the speed limit would have taken
  // to send it (see progress_rule.h): no stall is counted before this.
  double covered_until = 0;
  // The previous sample: when, and how many bytes had been sent then.
  std::optional<double> last_sample_at;
  uint64_t last_sent = 0;
  // The previous pass's average send rate: what QEMU's dirty rate at this
  // pass is measured against (as tracker/model.h does).
  std::optional<double> transfer_bps;
  std::vector<PassRecord> passes;  // the latest kPassesKept passes
  // Best bounds of the start among passes from the second on that were
  // dropped from `passes` to keep the record small.
  std::optional<uint64_t> best_start_level;
  std::optional<uint64_t> best_start_upper;
  uint64_t memory_bytes = 0;    // the guest's memory, for the budget
  uint64_t disk_bytes = 0;      // largest disk_total seen: the disks a block migration copies
  size_t downtime_steps_applied = 0;
  bool downtime_step_due = false;  // a pass was judged unproductive and a step remains
  bool terminal_action_taken = false;  // abort or post-copy issued; nothing more to do
  bool postcopy_requested = false;
  std::vector<std::string> observed_actions;  // observe mode: "action/reason" already reported
};

const char* PassStartName(PassStart s);  // at_event, by_poll, unseen
void to_json(nlohmann::json& j, const PassRecord& p);
void from_json(const nlohmann::json& j, PassRecord& p);
void to_json(nlohmann::json& j, const MigrationHistory& h);
void from_json(const nlohmann::json& j, MigrationHistory& h);

// "43, 42, 43 MiB": the start levels of the memory passes, for logs and
// reasons; a start known only from below reads "43+".
std::string DescribePassStarts(const MigrationHistory& h);

}  // namespace migmon::enforcer

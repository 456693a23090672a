// Showing migrations as they change.
//
// Board: on a terminal, the bottom lines are live bars redrawn in place
// ("\r", cursor up, clear) while finished news scrolls above them. Bars are
// cut to the terminal's width, since a wrapped line would break the
// cursor-up count. Board writes ANSI escapes only; callers decide that the
// output is a terminal.
//
// Presenter: turns watch events into output. On a terminal: a line per
// change of state (ChangeLines) and one live bar per active migration
// (not Pending: a queue of fifty drains is not fifty bars). Otherwise plain
// lines only: one per change of state, and per migration at most one
// progress line every `progress_interval` (and none that repeats the last).
//
// Not thread-safe: one caller thread.
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "client/migration_view.h"

namespace migmon::client {

class Board {
 public:
  Board(std::ostream& out, size_t width) : out_(out), width_(width) {}
  Board(const Board&) = delete;
  Board& operator=(const Board&) = delete;

  // Adds a bar (below the others) or replaces the text of `key`'s bar.
  void SetBar(const std::string& key, std::string line);
  void RemoveBar(const std::string& key);
  // Queues a line to print above the bars.
  void Print(std::string line);
  // Writes the queued lines and the bars: erases the bars drawn last time,
  // prints the lines, draws the bars (the cursor stays at the end of the
  // last bar).
  void Flush();
  // Flushes, then leaves the cursor on a fresh line below the bars, which
  // stay on screen as they were.
  void Close();

 private:
  std::string Fit(const std::string& line) const;

  std::ostream& out_;
  const size_t width_;
  std::vector<std::pair<std::string, std::string>> bars_;  // in order of appearance
  std::vector<std::string> pending_lines_;
  size_t drawn_ = 0;  // bars on screen
};

enum class Outcome { kActive, kSucceeded, kFailed, kDeleted };

class Presenter {
 public:
  struct Options {
    bool terminal = false;
    size_t width = 80;
    bool with_namespace = false;  // name migrations "ns/name"
    std::chrono::milliseconds progress_interval{2000};
  };
  Presenter(std::ostream& out, Options options) : out_(out), options_(options), board_(out, options.width) {}
  ~Presenter() { Finish(); }
  Presenter(const Presenter&) = delete;
  Presenter& operator=(const Presenter&) = delete;

  // Prints what `object` changed; returns where the migration stands.
  Outcome OnEvent(const std::string& type, const nlohmann::json& object, std::chrono::steady_clock::time_point now);
  // A line that is not about one migration (a lost connection).
  void Note(const std::string& line);
  // Leaves the terminal on a fresh line. Idempotent.
  void Finish();

 private:
  struct Seen {
    MigrationView view;
    std::chrono::steady_clock::time_point progress_at;
    std::string progress_line;  // the last printed, plain mode
  };
  void Emit(const std::string& line);

  std::ostream& out_;
  const Options options_;
  Board board_;
  std::map<std::string, Seen> seen_;
};

}  // namespace migmon::client

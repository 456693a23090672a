#include "client/live.h"

#include <algorithm>

#include "client/render.h"

namespace migmon::client {

void Board::SetBar(const std::string& key, std::string line) {
  const auto it = std::find_if(bars_.begin(), bars_.end(), [&](const auto& bar) { return bar.first == key; });
  if (it == bars_.end()) {
    bars_.emplace_back(key, std::move(line));
  } else {
    it->second = std::move(line);
  }
}

void Board::RemoveBar(const std::string& key) {
  std::erase_if(bars_, [&](const auto& bar) { return bar.first == key; });
}

void Board::Print(std::string line) { pending_lines_.push_back(std::move(line)); }

std::string Board::Fit(const std::string& line) const {
  // One column is kept free: a line filling the last column makes some
  // terminals wrap the cursor to the next line.
  const size_t max = width_ > 1 ? width_ - 1 : 1;
  return line.size() > max ? line.substr(0, max) : line;
}

void Board::Flush() {
  std::string text;
  if (drawn_ == 1) {
    text += "\r\x1b[K";
  } else if (drawn_ > 1) {
    text += "\r\x1b[" + std::to_string(drawn_ - 1) + "A\x1b[J";
  }
  for (const auto& line : pending_lines_) text += line + "\n";
  pending_lines_.clear();
  for (size_t i = 0; i < bars_.size(); ++i) {
    text += Fit(bars_[i].second);
    if (i + 1 < bars_.size()) text += "\n";
  }
  drawn_ = bars_.size();
  out_ << text << std::flush;
}

void Board::Close() {
  Flush();
  if (drawn_ > 0) out_ << "\n" << std::flush;
  drawn_ = 0;
  bars_.clear();
}

void Presenter::Emit(const std::string& line) {
  if (options_.terminal) {
    board_.Print(line);
  } else {
    out_ << line << "\n" << std::flush;
  }
}

Outcome Presenter::OnEvent(const std::string& type, const nlohmann::json& object,
                           std::chrono::steady_clock::time_point now) {
  MigrationView view = ViewOf(object);
  const std::string key = KeyOf(view);
  const auto found = seen_.find(key);
  Outcome outcome = Outcome::kActive;
  if (type == "DELETED") {
    Emit(DeletedLine(view, options_.with_namespace));
    board_.RemoveBar(key);
    if (found != seen_.end()) seen_.erase(found);
    outcome = Outcome::kDeleted;
  } else {
    for (const auto& line : ChangeLines(found == seen_.end() ? nullptr : &found->second.view, view,
                                        options_.with_namespace)) {
      Emit(line);
    }
    Seen& seen = seen_[key];
    const bool final = IsFinalPhase(view.phase);
    if (options_.terminal) {
      if (!final && view.phase != "Pending") {
        board_.SetBar(key, ProgressLine(view, true, options_.with_namespace));
      } else {
        board_.RemoveBar(key);
      }
    } else if (!final && view.progress) {
      const std::string line = ProgressLine(view, false, options_.with_namespace);
      const bool due = seen.progress_line.empty() || now - seen.progress_at >= options_.progress_interval;
      if (due && line != seen.progress_line) {
        Emit(line);
        seen.progress_line = line;
        seen.progress_at = now;
      }
    }
    if (view.phase == "Succeeded") outcome = Outcome::kSucceeded;
    if (view.phase == "Failed") outcome = Outcome::kFailed;
    seen.view = std::move(view);
  }
  if (options_.terminal) board_.Flush();
  return outcome;
}

void Presenter::Note(const std::string& line) {
  Emit(line);
  if (options_.terminal) board_.Flush();
}

void Presenter::Finish() {
  if (options_.terminal) board_.Close();
}

}  // namespace migmon::client

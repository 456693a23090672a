#include "client/render.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "client/format.h"

namespace migmon::client {
namespace {

constexpr int kBarWidth = 20;
constexpr size_t kLabelWidth = 12;

std::string Label(const MigrationView& view, bool with_namespace) {
  return with_namespace ? KeyOf(view) : view.name;
}

std::string Nodes(const MigrationView& view) {
  if (view.source_node.empty() && view.target_node.empty()) return "";
  return (view.source_node.empty() ? "?" : view.source_node) + " -> " +
         (view.target_node.empty() ? "?" : view.target_node);
}

std::optional<double> DurationOf(const MigrationView& view) {
  const auto start = ParseRfc3339(view.start_timestamp);
  const auto end = ParseRfc3339(view.end_timestamp);
  if (start && end && *end >= *start) return std::chrono::duration<double>(*end - *start).count();
  if (view.progress && view.progress->elapsed_seconds) return view.progress->elapsed_seconds;
  return std::nullopt;
}

std::string Bar(std::optional<double> ratio) {
  const int filled = ratio ? static_cast<int>(std::floor(*ratio * kBarWidth)) : 0;
  return "[" + std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(kBarWidth - filled), '.') + "]";
}

std::string Rate(const ProgressView& p) { return FormatRate(p.memory_rate + p.disk_rate); }

std::string PhaseLine(const MigrationView& view, bool with_namespace) {
  std::string line = Label(view, with_namespace) + ": " + view.phase;
  const std::string nodes = Nodes(view);
  if (view.phase == "Pending") {
    if (!view.waiting_message.empty()) line += ": " + view.waiting_message;
  } else if (view.phase == "Failed") {
    if (!view.failure_reason.empty()) line += ": " + view.failure_reason;
  } else {
    if (!nodes.empty()) line += " " + nodes;
    if (view.phase == "Running" && !view.mode.empty()) line += " (" + view.mode + ")";
    if (view.phase == "Succeeded") {
      if (const auto d = DurationOf(view)) line += " in " + FormatDuration(*d);
    }
  }
  return line;
}

}  // namespace

std::string ProgressLine(const nlohmann::json& object, bool terminal, bool with_namespace) {
  return ProgressLine(ViewOf(object), terminal, with_namespace);
}

std::string ProgressLine(const MigrationView& view, bool terminal, bool with_namespace) {
  const std::string label = Label(view, with_namespace);
  const std::optional<int> percent = PercentOf(view);
  std::vector<std::string> parts;
  const ProgressView* p = view.progress ? &*view.progress : nullptr;
  if (p != nullptr) {
    if (p->data_remaining_bytes) parts.push_back(FormatBytes(*p->data_remaining_bytes) + " left");
    parts.push_back(Rate(*p));
    if (p->eta_seconds) parts.push_back("ETA " + FormatDuration(*p->eta_seconds));
    if (p->will_not_converge) parts.push_back("will not converge at this speed");
    if (p->iteration) parts.push_back((terminal ? "iter " : "iteration ") + std::to_string(*p->iteration));
  }
  if (!view.mode.empty()) parts.push_back(view.mode);
  if (terminal) {
    std::string line = label + " " + Bar(p != nullptr ? p->ratio : std::nullopt);
    std::string pct = percent ? std::to_string(*percent) + "%" : "--%";
    line += std::string(pct.size() < 4 ? 6 - pct.size() : 2, ' ') + pct;
    for (const auto& part : parts) line += "  " + part;
    return line + "  " + view.phase;
  }
  std::string line = label + ": " + view.phase;
  if (percent) line += " " + std::to_string(*percent) + "%";
  if (p == nullptr && view.phase == "Running") line += ", no progress reported yet";
  for (const auto& part : parts) line += ", " + part;
  return line;
}

std::vector<std::string> ChangeLines(const MigrationView* before, const MigrationView& now, bool with_namespace) {
  std::vector<std::string> lines;
  const std::string label = Label(now, with_namespace);
  if (before == nullptr || before->phase != now.phase ||
      (now.phase == "Pending" && before->waiting_message != now.waiting_message)) {
    lines.push_back(PhaseLine(now, with_namespace));
  } else if (now.phase == "Running" && !before->mode.empty() && !now.mode.empty() && before->mode != now.mode) {
    lines.push_back(label + ": switched to " + now.mode);
  }
  if (now.abort_requested && (before == nullptr || !before->abort_requested) && !IsFinalPhase(now.phase)) {
    lines.push_back(label + ": abort requested");
  }
  if (!now.abort_status.empty() && (before == nullptr || before->abort_status != now.abort_status)) {
    lines.push_back(label + ": abort " + now.abort_status);
  }
  return lines;
}

std::string DeletedLine(const MigrationView& last, bool with_namespace) {
  return Label(last, with_namespace) + ": deleted";
}

std::string SummaryOf(const nlohmann::json& object) {
  const MigrationView v = ViewOf(object);
  std::string out;
  auto add = [&out](const std::string& label, const std::string& value) {
    if (value.empty()) return;
    out += label + ":" + std::string(kLabelWidth - label.size() - 1, ' ') + value + "\n";
  };
  add("Name", v.name);
  add("Namespace", v.ns);
  add("VMI", v.vmi);
  add("Priority", v.priority);
  add("Requested", v.requested_node);
  add("Phase", v.phase);
  add("Nodes", Nodes(v));
  std::string mode = v.mode;
  if (!v.migration_method.empty()) mode += mode.empty() ? v.migration_method : " (" + v.migration_method + ")";
  add("Mode", mode);
  if (v.progress || v.phase == "Succeeded") {
    std::vector<std::string> parts;
    if (const auto pct = PercentOf(v)) parts.push_back(std::to_string(*pct) + "%");
    if (const ProgressView* p = v.progress ? &*v.progress : nullptr; p != nullptr && !IsFinalPhase(v.phase)) {
      if (p->data_remaining_bytes && p->data_total_bytes) {
        parts.push_back(FormatBytes(*p->data_remaining_bytes) + " of " + FormatBytes(*p->data_total_bytes) + " left");
      } else if (p->data_remaining_bytes) {
        parts.push_back(FormatBytes(*p->data_remaining_bytes) + " left");
      }
      parts.push_back(Rate(*p));
      if (p->dirty_rate) parts.push_back("dirtying " + FormatRate(*p->dirty_rate));
      if (p->eta_seconds) parts.push_back("ETA " + FormatDuration(*p->eta_seconds));
      if (p->will_not_converge) parts.push_back("will not converge at this speed");
      if (p->iteration) parts.push_back("iteration " + std::to_string(*p->iteration));
    }
    std::string text;
    for (const auto& part : parts) text += (text.empty() ? "" : ", ") + part;
    add("Progress", text);
  }
  if (const auto d = DurationOf(v)) add(IsFinalPhase(v.phase) ? "Took" : "Elapsed", FormatDuration(*d));
  add("Waiting", v.waiting_message);
  add("Failure", v.failure_reason);
  if (v.abort_requested || !v.abort_status.empty()) {
    add("Abort", v.abort_status.empty() ? "requested" : v.abort_status);
  }
  return out;
}

std::string ListTable(const nlohmann::json& items, std::chrono::system_clock::time_point now) {
  std::vector<MigrationView> views;
  if (items.is_array()) {
    for (const auto& item : items) views.push_back(ViewOf(item));
  }
  // Creation order within a namespace reads as a history; RFC 3339 UTC
  // strings of one format sort as times.
  std::stable_sort(views.begin(), views.end(), [](const MigrationView& a, const MigrationView& b) {
    return std::tie(a.ns, a.creation_timestamp, a.name) < std::tie(b.ns, b.creation_timestamp, b.name);
  });
  std::vector<std::vector<std::string>> rows;
  for (const auto& v : views) {
    const auto pct = PercentOf(v);
    std::string age = "-";
    if (const auto created = ParseRfc3339(v.creation_timestamp)) {
      age = FormatDuration(std::chrono::duration<double>(now - *created).count());
    }
    auto dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
    rows.push_back({v.ns, v.name, dash(v.vmi), v.phase, dash(v.source_node), dash(v.target_node),
                    pct ? std::to_string(*pct) + "%" : "-", age});
  }
  return Table({"NAMESPACE", "NAME", "VMI", "PHASE", "SOURCE", "TARGET", "PROGRESS", "AGE"}, rows);
}

}  // namespace migmon::client

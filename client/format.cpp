#include "client/format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace migmon::client {

std::string FormatBytes(double bytes) {
  if (!(bytes > 0)) bytes = 0;  // also NaN
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) return std::to_string(static_cast<uint64_t>(bytes)) + " B";
  double value = bytes / 1024;
  size_t unit = 0;
  // Switch units before "1024.0 KiB" would be printed after rounding.
  while (value >= 1023.95 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", value, kUnits[unit]);
  return buf;
}

std::string FormatRate(double bytes_per_second) { return FormatBytes(bytes_per_second) + "/s"; }

std::string FormatDuration(double seconds) {
  if (!(seconds > 0)) seconds = 0;
  const auto s = static_cast<uint64_t>(std::floor(seconds));
  char buf[48];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%llus", static_cast<unsigned long long>(s));
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%llum%02llus", static_cast<unsigned long long>(s / 60),
                  static_cast<unsigned long long>(s % 60));
  } else if (s < 86400) {
    std::snprintf(buf, sizeof buf, "%lluh%02llum", static_cast<unsigned long long>(s / 3600),
                  static_cast<unsigned long long>(s % 3600 / 60));
  } else {
    std::snprintf(buf, sizeof buf, "%llud%02lluh", static_cast<unsigned long long>(s / 86400),
                  static_cast<unsigned long long>(s % 86400 / 3600));
  }
  return buf;
}

namespace {

// Reads exactly `n` digits at `pos`; -1 when they are not all there.
int Digits(std::string_view text, size_t& pos, size_t n) {
  if (pos + n > text.size()) return -1;
  int value = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  pos += n;
  return value;
}

bool Expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text) {
  using namespace std::chrono;
  size_t pos = 0;
  const int y = Digits(text, pos, 4);
  if (y < 0 || !Expect(text, pos, '-')) return std::nullopt;
  const int mo = Digits(text, pos, 2);
  if (mo < 0 || !Expect(text, pos, '-')) return std::nullopt;
  const int d = Digits(text, pos, 2);
  if (d < 0 || pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) return std::nullopt;
  ++pos;
  const int h = Digits(text, pos, 2);
  if (h < 0 || !Expect(text, pos, ':')) return std::nullopt;
  const int mi = Digits(text, pos, 2);
  if (mi < 0 || !Expect(text, pos, ':')) return std::nullopt;
  const int s = Digits(text, pos, 2);
  if (s < 0 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;  // sub-second precision is not needed for ages
  }
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    const int oh = Digits(text, pos, 2);
    if (oh < 0 || !Expect(text, pos, ':')) return std::nullopt;
    const int om = Digits(text, pos, 2);
    if (om < 0) return std::nullopt;
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  const auto at = sys_days{date} + hours{h} + minutes{mi} + seconds{s} - minutes{offset_minutes};
  return time_point_cast<system_clock::duration>(at);
}

std::string Table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
  for (const auto& row : rows) {
    for (size_t c = 0; c < header.size() && c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t c = 0; c < header.size(); ++c) {
      const std::string& cell = c < cells.size() ? cells[c] : std::string();
      text += cell;
      if (c + 1 < header.size()) text.append(width[c] - cell.size() + 3, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text;
    out += '\n';
  };
  line(header);
  for (const auto& row : rows) line(row);
  return out;
}

}  // namespace migmon::client

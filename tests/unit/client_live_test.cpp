#include "client/live.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace migmon::client {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

json Migration(const std::string& name, const std::string& phase, std::optional<double> ratio = std::nullopt) {
  json o = {{"metadata", {{"name", name}, {"namespace", "default"}}}, {"status", {{"phase", phase}}}};
  if (ratio) {
    o["status"]["migrationState"] = {
        {"sourceNode", "a"},
        {"targetNode", "b"},
        {"progress", {{"progressRatio", *ratio}, {"dataRemainingBytes", 1048576}, {"memoryTransferRateBytesPerSecond", 1048576}}}};
  }
  return o;
}

TEST(ClientBoard, RedrawsBarsInPlace) {
  std::ostringstream out;
  Board board(out, 80);
  board.SetBar("a", "bar a 1");
  board.Flush();
  EXPECT_EQ("bar a 1", out.str());
  out.str("");
  board.SetBar("a", "bar a 2");
  board.Flush();
  EXPECT_EQ("\r\x1b[Kbar a 2", out.str());  // one line: back to its start, clear it
  out.str("");
  board.SetBar("b", "bar b 1");
  board.Print("a line above");
  board.Flush();
  EXPECT_EQ("\r\x1b[Ka line above\nbar a 2\nbar b 1", out.str());
  out.str("");
  board.RemoveBar("a");
  board.Flush();
  EXPECT_EQ("\r\x1b[1A\x1b[Jbar b 1", out.str());  // two lines: up one, clear to the end
  out.str("");
  board.Close();
  EXPECT_EQ("\r\x1b[Kbar b 1\n", out.str());
}

TEST(ClientBoard, CutsBarsToTheWidth) {
  std::ostringstream out;
  Board board(out, 10);
  board.SetBar("a", "0123456789abcdef");
  board.Print("long lines above scroll and are not cut");
  board.Flush();
  EXPECT_EQ("long lines above scroll and are not cut\n012345678", out.str());
}

TEST(ClientPresenter, PlainLinesThrottleProgress) {
  std::ostringstream out;
  Presenter p(out, {.terminal = false, .width = 80, .with_namespace = false, .progress_interval = milliseconds(2000)});
  const std::chrono::steady_clock::time_point t0{};
  EXPECT_EQ(Outcome::kActive, p.OnEvent("ADDED", Migration("m", "Pending"), t0));
  p.OnEvent("MODIFIED", Migration("m", "Running", 0.10), t0 + milliseconds(100));
  p.OnEvent("MODIFIED", Migration("m", "Running", 0.20), t0 + milliseconds(1000));  // too soon
  p.OnEvent("MODIFIED", Migration("m", "Running", 0.20), t0 + milliseconds(2200));  // due and new
  p.OnEvent("MODIFIED", Migration("m", "Running", 0.20), t0 + milliseconds(4500));  // same as last printed
  EXPECT_EQ(Outcome::kSucceeded, p.OnEvent("MODIFIED", Migration("m", "Succeeded", 1.0), t0 + milliseconds(4600)));
  EXPECT_EQ(
      "m: Pending\n"
      "m: Running a -> b\n"
      "m: Running 10%, 1.0 MiB left, 1.0 MiB/s\n"
      "m: Running 20%, 1.0 MiB left, 1.0 MiB/s\n"
      "m: Succeeded a -> b\n",
      out.str());
}

TEST(ClientPresenter, ThrottleIsPerMigration) {
  std::ostringstream out;
  Presenter p(out, {});
  const std::chrono::steady_clock::time_point t0{};
  p.OnEvent("ADDED", Migration("a", "Running", 0.1), t0);
  p.OnEvent("ADDED", Migration("b", "Running", 0.1), t0);
  const std::string text = out.str();
  EXPECT_EQ(4, std::count(text.begin(), text.end(), '\n'));  // a phase line and a progress line each
  EXPECT_EQ(Outcome::kFailed, p.OnEvent("MODIFIED", Migration("a", "Failed"), t0));
  EXPECT_EQ(Outcome::kDeleted, p.OnEvent("DELETED", Migration("b", "Running"), t0));
  EXPECT_NE(std::string::npos, out.str().find("a: Failed\nb: deleted\n"));
}

TEST(ClientPresenter, TerminalDrawsOneBarPerActiveMigration) {
  std::ostringstream out;
  Presenter p(out, {.terminal = true, .width = 200});
  const std::chrono::steady_clock::time_point t0{};
  p.OnEvent("ADDED", Migration("q", "Pending"), t0);
  EXPECT_EQ("q: Pending\n", out.str());  // news only: a queued migration gets no bar
  out.str("");
  p.OnEvent("MODIFIED", Migration("m", "Running", 0.5), t0);
  EXPECT_EQ("m: Running a -> b\nm [##########..........]   50%  1.0 MiB left  1.0 MiB/s  Running", out.str());
  out.str("");
  p.OnEvent("MODIFIED", Migration("m", "Running", 0.6), t0 + milliseconds(10));  // no throttle on a terminal
  EXPECT_EQ("\r\x1b[Km [############........]   60%  1.0 MiB left  1.0 MiB/s  Running", out.str());
  out.str("");
  p.OnEvent("MODIFIED", Migration("m", "Succeeded", 1.0), t0);
  EXPECT_EQ("\r\x1b[Km: Succeeded a -> b\n", out.str());
  out.str("");
  p.Finish();
  EXPECT_EQ("", out.str());
}

}  // namespace
}  // namespace migmon::client

// Entry point of the trace tools (replay, explain): reads the traces, runs
// them and prints. Exit 0 when every trace was read, 1 when one could not
// be (the message names the file and line), 2 on a usage error.
#pragma once

#include <string>
#include <vector>

namespace migmon::app {

int RunTraceCommand(const std::vector<std::string>& args);  // args[0] is the verb

}  // namespace migmon::app

#include "config/file_text.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace migmon::config::detail {

std::string ReadFileText(const std::string& path, const FileErrorBuilder& fail) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) throw fail("it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fail(std::strerror(errno));
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw fail("read error");
  return text;
}

}  // namespace migmon::config::detail

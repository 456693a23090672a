#include "http/message.h"

#include <algorithm>
#include <cctype>

namespace migmon::http {
namespace {

unsigned char Lower(char c) { return static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(c))); }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

template <typename Map, typename Key>
std::string FirstValue(const Map& map, const Key& key) {
  const auto it = map.find(key);
  return it == map.end() ? std::string() : it->second;
}

}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return Lower(x) < Lower(y); });
}

bool Request::has_header(std::string_view name) const { return headers.find(name) != headers.end(); }
std::string Request::get_header_value(std::string_view name) const { return FirstValue(headers, name); }
bool Request::has_param(std::string_view name) const { return params.find(std::string(name)) != params.end(); }
std::string Request::get_param_value(std::string_view name) const { return FirstValue(params, std::string(name)); }

void Response::set_header(std::string name, std::string value) {
  headers.emplace(std::move(name), std::move(value));
}
bool Response::has_header(std::string_view name) const { return headers.find(name) != headers.end(); }
std::string Response::get_header_value(std::string_view name) const { return FirstValue(headers, name); }

void Response::set_content(std::string content, std::string content_type) {
  body = std::move(content);
  headers.erase("Content-Type");
  headers.emplace("Content-Type", std::move(content_type));
}

void Response::set_chunked_content_provider(std::string content_type, ContentProvider p, ContentProviderDone done) {
  headers.erase("Content-Type");
  headers.emplace("Content-Type", std::move(content_type));
  provider = std::move(p);
  provider_done = std::move(done);
}

std::string PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

Params ParseQuery(std::string_view query) {
  Params params;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    params.emplace(PercentDecode(pair.substr(0, eq), true),
                   eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1), true));
  }
  return params;
}

}  // namespace migmon::http

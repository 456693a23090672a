// A parsed HTTP request and the response a handler fills in. The member names
// follow cpp-httplib's (get_param_value, set_content, ...), the library this
// server replaced, so handlers moved over without change.
//
// Thread-safety: a Request is read-only once the handler runs; a Response is
// written by the one thread running its handler. A streaming provider runs
// later on a thread of its own; its DataSink is safe to use from there.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <regex>
#include <string>
#include <string_view>

namespace migmon::http {

// Header names compare case-insensitively, as HTTP wants.
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
  using is_transparent = void;
};
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;
// Plain std::multimap, the type the k8s request option parsers take.
using Params = std::multimap<std::string, std::string>;

struct Request {
  std::string method;  // "GET", ...
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded, without the query
  Params params;       // the query, percent-decoded ('+' is a space)
  Headers headers;
  std::string body;
  std::smatch matches;  // the route's capture groups, matched on `path`
  std::string remote_addr;
  uint16_t remote_port = 0;
  std::string local_addr;
  uint16_t local_port = 0;

  bool has_header(std::string_view name) const;
  // The first value of the header or parameter; "" when absent.
  std::string get_header_value(std::string_view name) const;
  bool has_param(std::string_view name) const;
  std::string get_param_value(std::string_view name) const;
};

// What a streaming provider writes to. write() blocks until the bytes are
// handed to the socket and is false once the client is gone, the write
// timed out or the server is stopping; done() ends the stream cleanly.
class DataSink {
 public:
  virtual ~DataSink() = default;
  virtual bool write(const char* data, size_t size) = 0;
  virtual bool is_writable() const = 0;
  virtual void done() = 0;
};

// Called repeatedly until it returns false (the stream failed) or calls
// sink.done(); `offset` is the number of bytes written so far. It may block
// a little (it runs on its own thread), but must come back to notice the end.
using ContentProvider = std::function<bool(size_t offset, DataSink& sink)>;
// Called once when the stream ends; true when it ended by done().
using ContentProviderDone = std::function<void(bool success)>;

struct Response {
  int status = -1;  // unset: 200 when a body or provider is set, else 404
  Headers headers;
  std::string body;
  ContentProvider provider;  // set: a chunked stream instead of `body`
  ContentProviderDone provider_done;

  void set_header(std::string name, std::string value);
  bool has_header(std::string_view name) const;
  std::string get_header_value(std::string_view name) const;
  // Replaces the body and its Content-Type.
  void set_content(std::string content, std::string content_type);
  void set_chunked_content_provider(std::string content_type, ContentProvider provider,
                                    ContentProviderDone done = nullptr);
};

// Percent-decodes `text`; with `plus_is_space` a '+' is a space (queries).
// A '%' not followed by two hex digits is kept as it is.
std::string PercentDecode(std::string_view text, bool plus_is_space);
// Splits "a=1&b=x%20y" into decoded pairs; a key without '=' has value "".
Params ParseQuery(std::string_view query);

}  // namespace migmon::http

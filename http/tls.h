// Internal to http/: the server's TLS settings. TLS 1.2 is the minimum and
// only forward-secret AEAD suites are offered for TLS 1.2 (TLS 1.3 suites
// are all of that kind), so TLS 1.0/1.1 and weak ciphers are refused.
//
// Thread-safety: a stateless function.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <optional>
#include <string>

namespace migmon::http {

// A server context with the PEM certificate chain and key, or nullopt with
// `error` naming the file that failed and why.
std::optional<boost::asio::ssl::context> MakeTlsContext(const std::string& cert_file, const std::string& key_file,
                                                        std::string& error);

}  // namespace migmon::http

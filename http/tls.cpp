#include "http/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace migmon::http {

namespace ssl = boost::asio::ssl;

std::optional<ssl::context> MakeTlsContext(const std::string& cert_file, const std::string& key_file,
                                           std::string& error) {
  ssl::context ctx(ssl::context::tls_server);
  boost::system::error_code ec;
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                  ec);
  if (!ec && SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION) != 1) {
    ec = boost::system::error_code(static_cast<int>(ERR_get_error()), boost::asio::error::get_ssl_category());
  }
  if (ec) {
    error = "cannot set up TLS: " + ec.message();
    return std::nullopt;
  }
  // What Mozilla's "intermediate" profile keeps for TLS 1.2: ECDHE key
  // exchange with AES-GCM or ChaCha20-Poly1305.
  if (SSL_CTX_set_cipher_list(ctx.native_handle(),
                              "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                              "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                              "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305") != 1) {
    error = "cannot set up TLS: no usable cipher suite";
    return std::nullopt;
  }
  ctx.use_certificate_chain_file(cert_file, ec);
  if (ec) {
    error = "cannot load the TLS certificate " + cert_file + ": " + ec.message();
    return std::nullopt;
  }
  ctx.use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) {
    error = "cannot load the TLS key " + key_file + ": " + ec.message();
    return std::nullopt;
  }
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1) {
    error = "the TLS key " + key_file + " does not match the certificate " + cert_file;
    return std::nullopt;
  }
  return ctx;
}

}  // namespace migmon::http

// Internal to http/: one accepted connection, served on the io thread from
// the TLS handshake to the last byte (see server.h for the rules).
//
// Thread-safety: call on the io thread only.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <memory>

#include "http/core.h"

namespace migmon::http {

// Starts serving `socket` (HTTPS when core.tls is set). `slot` is held for
// as long as the connection is open.
void StartSession(Server::Core& core, boost::asio::ip::tcp::socket socket, std::unique_ptr<ConnectionSlot> slot);

}  // namespace migmon::http

// The libvirt NodeSession: one open connection to a node's libvirtd, with
// keepalive, a close callback and the domain events a watcher needs, all
// delivered into an EventQueue. Domains are looked up by UUID and their
// handles cached until the next listing replaces them.
//
// Thread-safety: a session is used by one watcher thread; libvirt invokes its
// callbacks on the event-loop thread (hv::EventLoop must run), and those only
// touch the EventQueue. Destroying the session deregisters every callback
// before closing.
#pragma once

#include <memory>
#include <string>

#include "hypervisor/node_session.h"

namespace migmon::hv {

// The default SessionOpener.
std::unique_ptr<NodeSession> OpenLibvirtSession(const std::string& uri, std::shared_ptr<EventQueue> queue,
                                                std::string& error);

}  // namespace migmon::hv

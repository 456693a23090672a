// libvirt error handling: libvirt prints every error on stderr unless told
// otherwise, and keeps the last error per thread.
#pragma once

#include <string>

namespace migmon::hv {

// Stops libvirt from printing errors itself; we log them as structured lines.
// Call once at start, before any connection is opened.
void SilenceLibvirtErrorPrinting();

// The calling thread's last libvirt error message, or "unknown libvirt error".
std::string LastLibvirtError();

// True when the calling thread's last error says the domain does not exist.
bool LastErrorIsNoDomain();

// True when the calling thread's last error says the driver does not
// implement the call (VIR_ERR_NO_SUPPORT).
bool LastErrorIsNoSupport();

}  // namespace migmon::hv

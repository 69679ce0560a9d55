#pragma once
// A toy lock service written against faultline's public headers, as a user's own protocol would
// be: one lock server, clients that acquire, hold for a while and release, and a known bug. The
// correct server syncs the holder to disk before it grants; the `volatile-holder` variant keeps
// it in memory only, so a server that crashes and restarts grants the lock a second time while
// the first holder still holds it.

#include <faultline/faultline.hpp>

namespace lock_service {

// The protocol, for faultline::run::register_protocol.
faultline::protocols::ProtocolInfo lock_service_info();

}  // namespace lock_service

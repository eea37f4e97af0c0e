#pragma once
// Which of a user's registered devices may ring for them (internal to the app module): the web
// app's softphone registers over SIP WebSocket, desk phones and softphones over udp/tcp/tls.
#include "center/model.hpp"
#include "sip/location.hpp"

namespace suflyor::app {

// A binding the web app's softphone made (registered over ws or wss).
bool is_browser_binding(const sip::Binding& binding);

// The kind of binding that rings for a user who chose `device`.
sip::DeviceKind device_kind(center::RingDevice device);

// Whether `user` has a live binding of the device they chose: for the browser a WebSocket
// binding, for the SIP phone any other (the B2BUA then rings only that kind).
bool can_ring(const sip::LocationService& locations, const center::User& user, core::WallTime now);

} // namespace suflyor::app

#pragma once
// What the first start prints after the credentials (internal to the app module): where phones
// and browsers reach the server, and a warning when only this machine can.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace suflyor::app {

// The addresses the server listens on, as bound (ports chosen by the kernel filled in).
struct Endpoints {
    std::string sip_host;                                         // [sip] listen's host
    std::vector<std::pair<std::string, std::uint16_t>> sip_ports; // transport → bound port
    std::string browser_phone_url; // the softphone's ws(s) URL; empty: off
    std::string http_host;
    std::uint16_t http_port{0};
    std::string media_address; // [media] advertised_address: where phones send the audio
};

// 127.0.0.0/8, ::1 or "localhost": reachable from this machine only.
bool is_loopback_host(const std::string& host);

// The block printed at first start: the web address, the SIP server phones register with
// (host:port and transports), the browser phone, and what to set when it is loopback only.
std::string endpoints_message(const Endpoints& endpoints);

} // namespace suflyor::app

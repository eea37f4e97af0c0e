#pragma once
// Shorthands for expected values, and gtest printers that show SDP as text.
#include "sdp/sdp.hpp"

#include <fstream>
#include <ostream>
#include <sstream>
#include <string>

namespace suflyor::sdp {

inline void PrintTo(const SessionDescription& session, std::ostream* os) {
    *os << "\n" << write_sdp(session);
}

inline void PrintTo(const Negotiated& n, std::ostream* os) {
    *os << "{" << to_string(n.codec) << " pt " << unsigned{n.payload_type} << " clock "
        << n.rtp_clock << " te "
        << (n.telephone_event_pt ? std::to_string(*n.telephone_event_pt) : "none") << " "
        << to_string(n.direction) << " " << n.remote_address << ":" << n.remote_port << " mux "
        << n.rtcp_mux << " index " << n.media_index << " ptime " << n.remote_ptime_ms << " rtcp "
        << (n.remote_rtcp_port ? std::to_string(*n.remote_rtcp_port) : "none");
    if (n.webrtc)
        *os << " webrtc{ufrag " << n.webrtc->remote.ice_ufrag << " pwd " << n.webrtc->remote.ice_pwd
            << " fingerprint " << n.webrtc->remote.fingerprint.hash << " "
            << n.webrtc->remote.fingerprint.value << " setup " << to_string(n.webrtc->remote.setup)
            << " candidates " << n.webrtc->remote.candidates.size() << " role "
            << to_string(n.webrtc->local_role) << " mid " << n.webrtc->mid << " bundle "
            << n.webrtc->bundle << "}";
    *os << "}";
}

namespace test {

inline Format fmt(std::uint8_t pt, std::string encoding, std::uint32_t clock,
                  std::uint8_t channels = 1, std::string fmtp = {}) {
    return Format{pt, std::move(encoding), clock, channels, std::move(fmtp)};
}

inline const Format pcmu = fmt(0, "PCMU", 8000);
inline const Format pcma = fmt(8, "PCMA", 8000);
inline const Format g722 = fmt(9, "G722", 8000);
inline const Format gsm = fmt(3, "GSM", 8000);
inline const Format g729 = fmt(18, "G729", 8000);

// A file under tests/unit/sdp/fixtures, byte for byte (empty if missing: the test then fails).
inline std::string fixture(std::string_view name) {
    std::ifstream in(std::string(SUFLYOR_SOURCE_DIR) + "/tests/unit/sdp/fixtures/" +
                         std::string(name),
                     std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace test
} // namespace suflyor::sdp

#pragma once
// Shorthands for expected values, and gtest printers that show SDP as text.
#include "sdp/sdp.hpp"

#include <ostream>
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
        << (n.remote_rtcp_port ? std::to_string(*n.remote_rtcp_port) : "none") << "}";
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

} // namespace test
} // namespace suflyor::sdp

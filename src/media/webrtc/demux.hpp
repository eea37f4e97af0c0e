#pragma once
// One socket carries STUN, DTLS, SRTP and SRTCP: tell them apart by the first byte (RFC 7983,
// updating RFC 5764 §5.1.2), and RTCP from RTP under rtcp-mux by the second byte (RFC 5761 §4:
// RTCP packet types 192..223 are RTP payload types 64..95 with the marker bit set).
#include <cstdint>
#include <span>

namespace suflyor::media::webrtc {

enum class PacketKind : std::uint8_t { stun, dtls, rtp, rtcp, unknown };

constexpr PacketKind classify(std::span<const std::uint8_t> datagram) noexcept {
    if (datagram.empty()) return PacketKind::unknown;
    const std::uint8_t first = datagram[0];
    if (first <= 3) return PacketKind::stun;
    if (first >= 20 && first <= 63) return PacketKind::dtls;
    if (first >= 128 && first <= 191) {
        // Fixed headers: RTP 12 bytes, RTCP 8 (header + sender SSRC).
        if (datagram.size() < 8) return PacketKind::unknown;
        const std::uint8_t type = datagram[1] & 0x7F;
        if (type >= 64 && type <= 95) return PacketKind::rtcp;
        return datagram.size() >= 12 ? PacketKind::rtp : PacketKind::unknown;
    }
    return PacketKind::unknown; // ZRTP (16..19), TURN channels (64..79) and the rest
}

} // namespace suflyor::media::webrtc

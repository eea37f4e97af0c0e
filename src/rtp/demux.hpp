#pragma once
// What arrived on a media socket, judged by its first bytes: RFC 7983 (STUN / DTLS / RTP-RTCP
// share one port) and RFC 5761 §4 (RTP vs RTCP under rtcp-mux).
#include <cstdint>
#include <span>
#include <string_view>

namespace suflyor::rtp {

enum class PacketKind : std::uint8_t {
    stun,         // first byte 0..3
    zrtp,         // 16..19
    dtls,         // 20..63
    turn_channel, // 64..79
    rtp,          // 128..191, second byte not in 192..223
    rtcp,         // 128..191, second byte (packet type) in 192..223
    unknown,      // anything else, including empty datagrams and a lone RTP/RTCP first byte
};

constexpr std::string_view to_string(PacketKind kind) noexcept {
    switch (kind) {
    case PacketKind::stun: return "stun";
    case PacketKind::zrtp: return "zrtp";
    case PacketKind::dtls: return "dtls";
    case PacketKind::turn_channel: return "turn_channel";
    case PacketKind::rtp: return "rtp";
    case PacketKind::rtcp: return "rtcp";
    case PacketKind::unknown: return "unknown";
    }
    return "unknown";
}

constexpr PacketKind classify_packet(std::span<const std::uint8_t> datagram) noexcept {
    if (datagram.empty()) return PacketKind::unknown;
    const std::uint8_t first = datagram[0];
    if (first <= 3) return PacketKind::stun;
    if (first >= 16 && first <= 19) return PacketKind::zrtp;
    if (first >= 20 && first <= 63) return PacketKind::dtls;
    if (first >= 64 && first <= 79) return PacketKind::turn_channel;
    if (first >= 128 && first <= 191) {
        if (datagram.size() < 2) return PacketKind::unknown;
        // RTCP packet types 192..223 collide with RTP marker=1 + PT 64..95, which RFC 5761 §4
        // forbids for RTP when muxed, so the second byte decides.
        const std::uint8_t second = datagram[1];
        return (second >= 192 && second <= 223) ? PacketKind::rtcp : PacketKind::rtp;
    }
    return PacketKind::unknown;
}

} // namespace suflyor::rtp

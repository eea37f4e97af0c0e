// The first-byte demultiplexer (RFC 7983) and the RTP/RTCP split under rtcp-mux (RFC 5761 §4).
#include "media/webrtc/demux.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace suflyor::media::webrtc::test {
namespace {

PacketKind kind_of(std::uint8_t first, std::uint8_t second = 0, std::size_t size = 20) {
    std::vector<std::uint8_t> d(size, 0);
    if (size > 0) d[0] = first;
    if (size > 1) d[1] = second;
    return classify(d);
}

TEST(Demux, FirstByteRanges) {
    for (int b = 0; b < 256; ++b) {
        const auto first = static_cast<std::uint8_t>(b);
        PacketKind expected = PacketKind::unknown;
        if (b <= 3)
            expected = PacketKind::stun;
        else if (b >= 20 && b <= 63)
            expected = PacketKind::dtls;
        else if (b >= 128 && b <= 191)
            expected = PacketKind::rtp;
        EXPECT_EQ(kind_of(first, 0), expected) << b;
    }
}

TEST(Demux, RtcpByPacketTypeUnderRtcpMux) {
    EXPECT_EQ(kind_of(0x80, 0), PacketKind::rtp);   // PCMU
    EXPECT_EQ(kind_of(0x80, 111), PacketKind::rtp); // Opus
    EXPECT_EQ(kind_of(0x80, 0x80 | 111), PacketKind::rtp);
    EXPECT_EQ(kind_of(0x80, 63), PacketKind::rtp);
    EXPECT_EQ(kind_of(0x80, 96), PacketKind::rtp);
    EXPECT_EQ(kind_of(0x81, 200), PacketKind::rtcp); // SR
    EXPECT_EQ(kind_of(0x81, 201), PacketKind::rtcp); // RR
    EXPECT_EQ(kind_of(0x81, 192), PacketKind::rtcp); // first of the range
    EXPECT_EQ(kind_of(0x81, 223), PacketKind::rtcp); // last of the range
    EXPECT_EQ(kind_of(0x81, 64), PacketKind::rtcp);  // PT 64..95 without the marker too
    EXPECT_EQ(kind_of(0x81, 224), PacketKind::rtp);
}

TEST(Demux, TooShortMediaIsUnknown) {
    EXPECT_EQ(kind_of(0x80, 0, 11), PacketKind::unknown); // RTP needs 12 bytes
    EXPECT_EQ(kind_of(0x80, 0, 12), PacketKind::rtp);
    EXPECT_EQ(kind_of(0x81, 200, 7), PacketKind::unknown); // RTCP needs 8
    EXPECT_EQ(kind_of(0x81, 200, 8), PacketKind::rtcp);
    EXPECT_EQ(classify({}), PacketKind::unknown);
    EXPECT_EQ(kind_of(0x16, 0, 1), PacketKind::dtls); // the DTLS code judges its own lengths
}

} // namespace
} // namespace suflyor::media::webrtc::test

#include "hex.hpp"
#include "rtp/rtp.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace suflyor::rtp {
namespace {

using test::hex;

struct DemuxCase {
    std::string bytes;
    PacketKind kind;
};

TEST(Demux, ByFirstBytesPerRfc7983And5761) {
    const std::vector<DemuxCase> cases = {
        {"", PacketKind::unknown},
        {"00 01 00 00 21 12 a4 42", PacketKind::stun}, // binding request
        {"01 01 00 0c 21 12 a4 42", PacketKind::stun}, // binding success response
        {"03 00", PacketKind::stun},
        {"04 00", PacketKind::unknown},
        {"0f 00", PacketKind::unknown},
        {"10 00", PacketKind::zrtp},
        {"13 00", PacketKind::zrtp},
        {"14 fe fd", PacketKind::dtls}, // change_cipher_spec, DTLS 1.2
        {"16 fe fd", PacketKind::dtls}, // handshake
        {"17 fe fd", PacketKind::dtls}, // application_data
        {"3f 00", PacketKind::dtls},
        {"40 00", PacketKind::turn_channel},
        {"4f 00", PacketKind::turn_channel},
        {"50 00", PacketKind::unknown},
        {"7f 00", PacketKind::unknown},
        {"80", PacketKind::unknown}, // too short to tell RTP from RTCP
        {"80 00", PacketKind::rtp},  // PCMU
        {"80 08", PacketKind::rtp},  // PCMA
        {"80 60", PacketKind::rtp},  // PT 96
        {"80 e0", PacketKind::rtp},  // marker + PT 96
        {"80 bf", PacketKind::rtp},  // marker + PT 63
        {"80 c0", PacketKind::rtcp}, // 192 (FIR, historic)
        {"80 c8", PacketKind::rtcp}, // SR
        {"81 c9", PacketKind::rtcp}, // RR with one block
        {"81 ca", PacketKind::rtcp}, // SDES
        {"8f cd", PacketKind::rtcp}, // RTPFB
        {"80 df", PacketKind::rtcp}, // 223
        {"80 e0", PacketKind::rtp},  // 224: marker + PT 96
        {"bf 00", PacketKind::rtp},
        {"c0 00", PacketKind::unknown},
        {"ff ff", PacketKind::unknown},
    };
    for (const DemuxCase& c : cases) {
        SCOPED_TRACE(c.bytes);
        EXPECT_EQ(classify_packet(hex(c.bytes)), c.kind)
            << to_string(classify_packet(hex(c.bytes)));
    }
}

static_assert(classify_packet(std::span<const std::uint8_t>{}) == PacketKind::unknown);

} // namespace
} // namespace suflyor::rtp

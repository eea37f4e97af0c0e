#include "hex.hpp"
#include "rtp/rtp.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace suflyor::rtp {
namespace {

using test::hex;
using test::with_payload;

static_assert(rtp_fixed_header_size == 12);
static_assert(to_string(RtpError::bad_padding) == "bad_padding");

struct ValidCase {
    std::string name;
    std::vector<std::uint8_t> packet;
    bool marker;
    std::uint8_t payload_type;
    std::uint16_t sequence;
    std::uint32_t timestamp;
    std::uint32_t ssrc;
    std::vector<std::uint32_t> csrcs;
    bool has_extension;
    std::uint16_t extension_profile;
    std::vector<std::uint8_t> extension;
    std::uint8_t padding_size;
    std::size_t header_size;
    std::vector<std::uint8_t> payload;
};

std::vector<ValidCase> valid_cases() {
    return {
        {"pcmu_20ms",
         with_payload(hex("80 00 12 34 00 00 a0 00 de ad be ef"), 160, 0xff),
         false,
         0,
         0x1234,
         0xa000,
         0xdeadbeef,
         {},
         false,
         0,
         {},
         0,
         12,
         std::vector<std::uint8_t>(160, 0xff)},
        {"opus_marker",
         hex("80 ef ff ff 12 34 56 78 00 00 00 01 | 78 0b"),
         true,
         111,
         0xffff,
         0x12345678,
         1,
         {},
         false,
         0,
         {},
         0,
         12,
         hex("78 0b")},
        {"two_csrcs",
         hex("82 08 00 07 00 00 01 40 11 22 33 44 | 00 00 00 0a 00 00 00 0b | d5 d5"),
         false,
         8,
         7,
         320,
         0x11223344,
         {10, 11},
         false,
         0,
         {},
         0,
         20,
         hex("d5 d5")},
        {"one_byte_extension", // RFC 8285 one-byte header: ID 1, L 0 (1 byte), then padding
         hex("90 60 00 01 00 00 00 00 00 00 00 02 | be de 00 01 10 aa 00 00 | 01 02 03"),
         false,
         96,
         1,
         0,
         2,
         {},
         true,
         0xbede,
         hex("10 aa 00 00"),
         0,
         20,
         hex("01 02 03")},
        {"empty_extension",
         hex("90 00 00 01 00 00 00 00 00 00 00 02 | 10 00 00 00 | ff"),
         false,
         0,
         1,
         0,
         2,
         {},
         true,
         0x1000,
         {},
         0,
         16,
         hex("ff")},
        {"padding",
         hex("a0 00 00 01 00 00 00 00 00 00 00 02 | 11 22 33 44 | 00 00 03"),
         false,
         0,
         1,
         0,
         2,
         {},
         false,
         0,
         {},
         3,
         12,
         hex("11 22 33 44")},
        {"padding_is_whole_payload",
         hex("a0 00 00 01 00 00 00 00 00 00 00 02 | 00 00 00 04"),
         false,
         0,
         1,
         0,
         2,
         {},
         false,
         0,
         {},
         4,
         12,
         {}},
        {"everything", // marker, 1 CSRC, extension, padding
         hex("b1 e0 80 00 00 01 00 00 ca fe ba be | 00 00 00 2a | be de 00 01 22 01 02 03 | "
             "aa bb | 00 02"),
         true,
         96,
         0x8000,
         0x10000,
         0xcafebabe,
         {42},
         true,
         0xbede,
         hex("22 01 02 03"),
         2,
         24,
         hex("aa bb")},
        {"header_only",
         hex("80 00 00 00 00 00 00 00 00 00 00 00"),
         false,
         0,
         0,
         0,
         0,
         {},
         false,
         0,
         {},
         0,
         12,
         {}},
    };
}

TEST(RtpParse, ValidPackets) {
    for (const ValidCase& c : valid_cases()) {
        SCOPED_TRACE(c.name);
        const auto parsed = parse_rtp(c.packet);
        ASSERT_TRUE(parsed.ok()) << to_string(parsed.error());
        const RtpView& v = parsed.value();
        EXPECT_EQ(v.marker, c.marker);
        EXPECT_EQ(v.payload_type, c.payload_type);
        EXPECT_EQ(v.sequence, c.sequence);
        EXPECT_EQ(v.timestamp, c.timestamp);
        EXPECT_EQ(v.ssrc, c.ssrc);
        ASSERT_EQ(v.csrc_count(), c.csrcs.size());
        for (std::size_t i = 0; i < c.csrcs.size(); ++i)
            EXPECT_EQ(v.csrc(i), c.csrcs[i]);
        EXPECT_EQ(v.has_extension, c.has_extension);
        EXPECT_EQ(v.extension_profile, c.extension_profile);
        EXPECT_EQ(std::vector<std::uint8_t>(v.extension.begin(), v.extension.end()), c.extension);
        EXPECT_EQ(v.padding_size, c.padding_size);
        EXPECT_EQ(v.header_size, c.header_size);
        EXPECT_EQ(std::vector<std::uint8_t>(v.payload.begin(), v.payload.end()), c.payload);
        // Zero copy: the payload points into the packet.
        EXPECT_EQ(v.payload.data(), c.packet.data() + c.header_size);
    }
}

struct InvalidCase {
    std::string name;
    std::vector<std::uint8_t> packet;
    RtpError error;
};

TEST(RtpParse, MalformedPackets) {
    const std::vector<InvalidCase> cases = {
        {"empty", {}, RtpError::too_short},
        {"one_byte", hex("80"), RtpError::too_short},
        {"eleven_bytes", hex("80 00 00 01 00 00 00 00 00 00 00"), RtpError::too_short},
        {"version_0", hex("00 00 00 01 00 00 00 00 00 00 00 02"), RtpError::bad_version},
        {"version_1", hex("40 00 00 01 00 00 00 00 00 00 00 02"), RtpError::bad_version},
        {"version_3", hex("c0 00 00 01 00 00 00 00 00 00 00 02"), RtpError::bad_version},
        {"csrc_count_15_with_2", hex("8f 00 00 01 00 00 00 00 00 00 00 02 00 00 00 01 00 00 00 02"),
         RtpError::bad_csrc},
        {"csrc_cut_short", hex("81 00 00 01 00 00 00 00 00 00 00 02 00 00 00"), RtpError::bad_csrc},
        {"extension_header_missing", hex("90 00 00 01 00 00 00 00 00 00 00 02 be de"),
         RtpError::bad_extension},
        {"extension_length_overrun",
         hex("90 00 00 01 00 00 00 00 00 00 00 02 be de 00 02 10 aa 00 00"),
         RtpError::bad_extension},
        {"extension_length_max", hex("90 00 00 01 00 00 00 00 00 00 00 02 be de ff ff 00 00 00 00"),
         RtpError::bad_extension},
        {"extension_after_csrc_overrun",
         hex("91 00 00 01 00 00 00 00 00 00 00 02 00 00 00 05 be de 00 01"),
         RtpError::bad_extension},
        {"padding_count_zero", hex("a0 00 00 01 00 00 00 00 00 00 00 02 11 22 33 00"),
         RtpError::bad_padding},
        {"padding_past_payload", hex("a0 00 00 01 00 00 00 00 00 00 00 02 11 22 33 05"),
         RtpError::bad_padding},
        {"padding_into_header", hex("a0 00 00 01 00 00 00 00 00 00 00 02"), RtpError::bad_padding},
        {"padding_into_extension", hex("b0 00 00 01 00 00 00 00 00 00 00 02 be de 00 00 02"),
         RtpError::bad_padding},
    };
    for (const InvalidCase& c : cases) {
        SCOPED_TRACE(c.name);
        const auto parsed = parse_rtp(c.packet);
        ASSERT_FALSE(parsed.ok());
        EXPECT_EQ(parsed.error(), c.error) << to_string(parsed.error());
    }
}

TEST(RtpHeader, WriteThenParseRoundTrips) {
    const std::vector<RtpHeaderFields> cases = {
        {.payload_type = 0, .marker = false, .sequence = 0, .timestamp = 0, .ssrc = 0},
        {.payload_type = 8,
         .marker = true,
         .sequence = 65535,
         .timestamp = 0xffffffff,
         .ssrc = 0xffffffff},
        {.payload_type = 101,
         .marker = true,
         .sequence = 4242,
         .timestamp = 160'000,
         .ssrc = 0x5eed1234},
        {.payload_type = 127, .marker = false, .sequence = 1, .timestamp = 1, .ssrc = 1},
    };
    for (const RtpHeaderFields& fields : cases) {
        std::vector<std::uint8_t> packet(12 + 3, 0x55);
        ASSERT_EQ(write_rtp_header(packet, fields), 12U);
        const auto parsed = parse_rtp(packet);
        ASSERT_TRUE(parsed.ok());
        EXPECT_EQ(parsed->payload_type, fields.payload_type);
        EXPECT_EQ(parsed->marker, fields.marker);
        EXPECT_EQ(parsed->sequence, fields.sequence);
        EXPECT_EQ(parsed->timestamp, fields.timestamp);
        EXPECT_EQ(parsed->ssrc, fields.ssrc);
        EXPECT_EQ(parsed->csrc_count(), 0U);
        EXPECT_FALSE(parsed->has_extension);
        EXPECT_EQ(parsed->payload.size(), 3U);
    }
}

TEST(RtpHeader, WriteExactBytes) {
    std::vector<std::uint8_t> out(12);
    ASSERT_EQ(write_rtp_header(out, {.payload_type = 0x80 | 96, // high bit is not part of PT
                                     .marker = true,
                                     .sequence = 0x0102,
                                     .timestamp = 0x03040506,
                                     .ssrc = 0x0708090a}),
              12U);
    EXPECT_EQ(out, hex("80 e0 01 02 03 04 05 06 07 08 09 0a"));
}

TEST(RtpHeader, WriteNeedsTwelveBytes) {
    std::vector<std::uint8_t> out(11, 0x77);
    EXPECT_EQ(write_rtp_header(out, {}), 0U);
    EXPECT_EQ(out, std::vector<std::uint8_t>(11, 0x77));
}

TEST(RtpHeader, RewriteKeepsCsrcExtensionPaddingAndPayload) {
    const auto original = hex("b1 60 00 05 00 00 03 20 aa aa aa aa | 00 00 00 2a | "
                              "be de 00 01 22 01 02 03 | 10 20 30 | 00 00 03");
    auto packet = original;
    ASSERT_TRUE(rewrite_rtp_header(packet, 0, 0x9999, 0x77777777, 0x01020304, true));
    // Byte 0 (V, P, X, CC) and everything after the SSRC are untouched.
    EXPECT_EQ(packet[0], original[0]);
    EXPECT_TRUE(std::equal(packet.begin() + 12, packet.end(), original.begin() + 12));
    const auto parsed = parse_rtp(packet);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->payload_type, 0);
    EXPECT_TRUE(parsed->marker);
    EXPECT_EQ(parsed->sequence, 0x9999);
    EXPECT_EQ(parsed->timestamp, 0x77777777U);
    EXPECT_EQ(parsed->ssrc, 0x01020304U);
    ASSERT_EQ(parsed->csrc_count(), 1U);
    EXPECT_EQ(parsed->csrc(0), 42U);
    EXPECT_EQ(parsed->extension_profile, 0xbede);
    EXPECT_EQ(parsed->padding_size, 3);
    EXPECT_EQ(std::vector<std::uint8_t>(parsed->payload.begin(), parsed->payload.end()),
              hex("10 20 30"));

    // And back: rewriting with the original fields restores the original bytes.
    ASSERT_TRUE(rewrite_rtp_header(packet, {.payload_type = 96,
                                            .marker = false,
                                            .sequence = 5,
                                            .timestamp = 800,
                                            .ssrc = 0xaaaaaaaa}));
    EXPECT_EQ(packet, original);
}

TEST(RtpHeader, RewriteRefusesWhatIsNotRtp) {
    auto short_packet = hex("80 00 00 01 00 00 00 00 00 00 00");
    const auto short_copy = short_packet;
    EXPECT_FALSE(rewrite_rtp_header(short_packet, {.payload_type = 8}));
    EXPECT_EQ(short_packet, short_copy);

    auto stun = hex("00 01 00 00 21 12 a4 42 00 00 00 00 00 00 00 00 00 00 00 00");
    const auto stun_copy = stun;
    EXPECT_FALSE(rewrite_rtp_header(stun, {.payload_type = 8}));
    EXPECT_EQ(stun, stun_copy);
}

} // namespace
} // namespace suflyor::rtp

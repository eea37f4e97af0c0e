// SRTP/SRTCP through libsrtp2 for both DTLS-SRTP profiles: round trips in place, replays and
// forged tags refused with their own results, and the room check for the trailer.
#include "media/webrtc/srtp.hpp"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <numeric>
#include <vector>

namespace suflyor::media::webrtc::test {
namespace {

std::vector<std::uint8_t> key_for(SrtpProfile profile, std::uint8_t seed) {
    std::vector<std::uint8_t> key(srtp_key_salt_size(profile));
    std::iota(key.begin(), key.end(), seed);
    return key;
}

// An RTP packet (PT 0, 160 bytes of payload) at the start of a buffer with room for a trailer.
std::size_t make_rtp(std::vector<std::uint8_t>& buffer, std::uint16_t seq, std::uint32_t ssrc) {
    buffer.assign(1500, 0);
    buffer[0] = 0x80;
    buffer[1] = 0;
    buffer[2] = static_cast<std::uint8_t>(seq >> 8);
    buffer[3] = static_cast<std::uint8_t>(seq);
    buffer[4] = 0, buffer[5] = 0, buffer[6] = static_cast<std::uint8_t>(seq >> 8);
    buffer[7] = static_cast<std::uint8_t>(seq);
    for (int i = 0; i < 4; ++i)
        buffer[8 + i] = static_cast<std::uint8_t>(ssrc >> (24 - 8 * i));
    for (std::size_t i = 12; i < 172; ++i)
        buffer[i] = static_cast<std::uint8_t>(i * 7 + seq);
    return 172;
}

class SrtpTest : public ::testing::TestWithParam<SrtpProfile> {
protected:
    SrtpProfile profile = GetParam();
    std::vector<std::uint8_t> key = key_for(profile, 3);
    SrtpSession sender{profile, key, SrtpSession::Direction::outbound};
    SrtpSession receiver{profile, key, SrtpSession::Direction::inbound};
};

TEST_P(SrtpTest, RtpRoundTripInPlace) {
    std::vector<std::uint8_t> buffer;
    for (std::uint16_t seq = 100; seq < 110; ++seq) {
        std::size_t len = make_rtp(buffer, seq, 0x1234);
        const std::vector<std::uint8_t> plain(buffer.begin(), buffer.begin() + 172);
        ASSERT_EQ(sender.protect_rtp(buffer, len), SrtpResult::ok);
        EXPECT_EQ(len, 172u + (profile == SrtpProfile::aead_aes128_gcm ? 16u : 10u));
        EXPECT_NE(std::vector<std::uint8_t>(buffer.begin() + 12, buffer.begin() + 172),
                  std::vector<std::uint8_t>(plain.begin() + 12, plain.end()));
        ASSERT_EQ(receiver.unprotect_rtp(buffer, len), SrtpResult::ok);
        ASSERT_EQ(len, 172u);
        EXPECT_EQ(std::vector<std::uint8_t>(buffer.begin(), buffer.begin() + 172), plain);
    }
}

TEST_P(SrtpTest, ReplayIsRefusedAsAReplay) {
    std::vector<std::uint8_t> buffer;
    std::size_t len = make_rtp(buffer, 7, 0x99);
    ASSERT_EQ(sender.protect_rtp(buffer, len), SrtpResult::ok);
    const auto wire = buffer;
    const std::size_t wire_len = len;
    ASSERT_EQ(receiver.unprotect_rtp(buffer, len), SrtpResult::ok);
    buffer = wire;
    len = wire_len;
    EXPECT_EQ(receiver.unprotect_rtp(buffer, len), SrtpResult::replayed);
    EXPECT_EQ(len, wire_len);
}

TEST_P(SrtpTest, TamperedTagOrPayloadIsRefusedAsAuthFailure) {
    std::vector<std::uint8_t> buffer;
    std::size_t len = make_rtp(buffer, 1, 0x55);
    ASSERT_EQ(sender.protect_rtp(buffer, len), SrtpResult::ok);
    auto tag = buffer;
    tag[len - 1] ^= 0x01;
    std::size_t n = len;
    EXPECT_EQ(receiver.unprotect_rtp(tag, n), SrtpResult::auth_failed);
    auto payload = buffer;
    payload[20] ^= 0x80;
    n = len;
    EXPECT_EQ(receiver.unprotect_rtp(payload, n), SrtpResult::auth_failed);
    // The genuine packet still passes afterwards (a forgery does not advance the window).
    n = len;
    EXPECT_EQ(receiver.unprotect_rtp(buffer, n), SrtpResult::ok);
}

TEST_P(SrtpTest, WrongKeyIsAnAuthFailure) {
    SrtpSession stranger{profile, key_for(profile, 9), SrtpSession::Direction::outbound};
    std::vector<std::uint8_t> buffer;
    std::size_t len = make_rtp(buffer, 1, 0x55);
    ASSERT_EQ(stranger.protect_rtp(buffer, len), SrtpResult::ok);
    EXPECT_EQ(receiver.unprotect_rtp(buffer, len), SrtpResult::auth_failed);
}

TEST_P(SrtpTest, RtcpRoundTripReplayAndTamper) {
    // A receiver report with no blocks: V=2, PT=201, length 1 (8 bytes), SSRC.
    std::vector<std::uint8_t> buffer(256, 0);
    const std::array<std::uint8_t, 8> rr{0x80, 201, 0, 1, 0xDE, 0xAD, 0xBE, 0xEF};
    std::copy(rr.begin(), rr.end(), buffer.begin());
    std::size_t len = rr.size();
    ASSERT_EQ(sender.protect_rtcp(buffer, len), SrtpResult::ok);
    EXPECT_GT(len, rr.size() + 4); // E flag + index + tag
    const auto wire = buffer;
    const std::size_t wire_len = len;
    auto forged = wire;
    forged[wire_len - 1] ^= 1;
    std::size_t n = wire_len;
    EXPECT_EQ(receiver.unprotect_rtcp(forged, n), SrtpResult::auth_failed);
    ASSERT_EQ(receiver.unprotect_rtcp(buffer, len), SrtpResult::ok);
    EXPECT_EQ(len, rr.size());
    EXPECT_TRUE(std::equal(rr.begin(), rr.end(), buffer.begin()));
    buffer = wire;
    len = wire_len;
    EXPECT_EQ(receiver.unprotect_rtcp(buffer, len), SrtpResult::replayed);
}

TEST_P(SrtpTest, NoRoomOrTooShortIsInvalid) {
    std::vector<std::uint8_t> buffer;
    std::size_t len = make_rtp(buffer, 1, 1);
    buffer.resize(len + max_srtp_overhead - 1);
    EXPECT_EQ(sender.protect_rtp(buffer, len), SrtpResult::invalid);
    EXPECT_EQ(len, 172u);
    std::size_t short_len = 11;
    EXPECT_EQ(receiver.unprotect_rtp(buffer, short_len), SrtpResult::invalid);
    std::size_t too_long = buffer.size() + 1;
    EXPECT_EQ(receiver.unprotect_rtp(buffer, too_long), SrtpResult::invalid);
}

TEST_P(SrtpTest, ProtectPlusUnprotectCost) {
    // Not a benchmark: a rough figure for the report, and a guard against something absurd.
    constexpr int packets = 20000;
    std::vector<std::uint8_t> buffer(1500);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < packets; ++i) {
        std::size_t len = make_rtp(buffer, static_cast<std::uint16_t>(i), 0x42);
        ASSERT_EQ(sender.protect_rtp(buffer, len), SrtpResult::ok);
        ASSERT_EQ(receiver.unprotect_rtp(buffer, len), SrtpResult::ok);
    }
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count() /
                    packets;
    std::printf("[ cost     ] %s: protect+unprotect of a 160-byte payload: %lld ns/packet\n",
                profile == SrtpProfile::aead_aes128_gcm ? "AES-128-GCM" : "AES-128-CM-SHA1-80",
                static_cast<long long>(ns));
    RecordProperty("ns_per_packet", static_cast<int>(ns));
    EXPECT_LT(ns, 100'000);
}

TEST(Srtp, KeyOfTheWrongSizeThrows) {
    const std::vector<std::uint8_t> short_key(10);
    EXPECT_ANY_THROW(
        SrtpSession(SrtpProfile::aes128_cm_sha1_80, short_key, SrtpSession::Direction::inbound));
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpTest,
                         ::testing::Values(SrtpProfile::aes128_cm_sha1_80,
                                           SrtpProfile::aead_aes128_gcm),
                         [](const auto& info) {
                             return info.param == SrtpProfile::aead_aes128_gcm ? "AesGcm"
                                                                               : "AesCmSha1_80";
                         });

} // namespace
} // namespace suflyor::media::webrtc::test

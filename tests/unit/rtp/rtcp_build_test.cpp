#include "hex.hpp"
#include "rtcp_vectors.hpp"
#include "rtp/rtp.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace suflyor::rtp {
namespace {

using test::hex;

constexpr ReportBlock sr_block{.ssrc = 0x0a0b0c0d,
                               .fraction_lost = 25,
                               .cumulative_lost = 7,
                               .extended_highest_sequence = 0x1002a,
                               .jitter = 35,
                               .last_sr = 0x6f7b4000,
                               .delay_since_last_sr = 0x18000};

const SenderReport sender_report{
    .ssrc = 0x5e3d8a11,
    .sender = {.ntp = {.seconds = 0xe8fe6f80, .fraction = 0x80000000},
               .rtp_timestamp = 128000,
               .packet_count = 1000,
               .octet_count = 160000},
    .report_blocks = std::span<const ReportBlock>{&sr_block, 1},
};

TEST(RtcpBuild, SenderReportAndCnameCompoundMatchesTheWireVector) {
    std::array<std::uint8_t, 200> buffer{};
    std::size_t size = write_sender_report(buffer, sender_report);
    ASSERT_EQ(size, sender_report_size(1));
    const std::size_t sdes =
        write_sdes_cname(std::span{buffer}.subspan(size), 0x5e3d8a11, "bob@192.0.2.10");
    ASSERT_EQ(sdes, sdes_cname_size(14));
    size += sdes;

    auto expected = hex(test::sender_report_hex);
    const auto sdes_bytes = hex(test::sdes_cname_hex);
    expected.insert(expected.end(), sdes_bytes.begin(), sdes_bytes.end());
    EXPECT_EQ(std::vector<std::uint8_t>(buffer.begin(), buffer.begin() + size), expected);

    const auto parsed = parse_rtcp(std::span{buffer}.first(size));
    ASSERT_TRUE(parsed.ok()) << to_string(parsed.error());
    const auto packets = test::collect(parsed.value());
    ASSERT_EQ(packets.size(), 2U);
    EXPECT_EQ(packets[0].sender_report().sender, sender_report.sender);
    EXPECT_EQ(packets[1].sdes().begin()->cname(), "bob@192.0.2.10");
}

TEST(RtcpBuild, ReceiverReportWithTwoBlocksMatchesTheWireVector) {
    const std::array<ReportBlock, 2> blocks{
        ReportBlock{.ssrc = 0x22222222, .extended_highest_sequence = 1000},
        ReportBlock{.ssrc = 0x33333333,
                    .fraction_lost = 255,
                    .cumulative_lost = -1,
                    .extended_highest_sequence = 0x1ffff,
                    .jitter = 256,
                    .last_sr = 0x12345678,
                    .delay_since_last_sr = 0x4000},
    };
    std::array<std::uint8_t, 56> buffer{};
    ASSERT_EQ(write_receiver_report(buffer, {.ssrc = 0x11111111, .report_blocks = blocks}), 56U);
    EXPECT_EQ(std::vector<std::uint8_t>(buffer.begin(), buffer.end()),
              hex(test::receiver_report_two_blocks_hex));
}

TEST(RtcpBuild, EmptyReceiverReportAndBye) {
    std::array<std::uint8_t, 16> buffer{};
    ASSERT_EQ(write_receiver_report(buffer, {.ssrc = 0x11111111}), 8U);
    EXPECT_EQ(std::vector<std::uint8_t>(buffer.begin(), buffer.begin() + 8),
              hex(test::empty_receiver_report_hex));

    const std::array<std::uint32_t, 2> ssrcs{0x11111111, 0x22222222};
    ASSERT_EQ(write_bye(buffer, ssrcs), 12U);
    EXPECT_EQ(std::vector<std::uint8_t>(buffer.begin(), buffer.begin() + 12),
              hex("82 cb 00 02 11 11 11 11 22 22 22 22"));
}

TEST(RtcpBuild, CumulativeLostIsClampedTo24BitsSigned) {
    struct Case {
        std::int32_t lost;
        std::string wire;
        std::int32_t parsed;
    };
    const std::vector<Case> cases = {
        {0, "00 00 00", 0},
        {1, "00 00 01", 1},
        {-1, "ff ff ff", -1},
        {0x7fffff, "7f ff ff", 0x7fffff},
        {0x800000, "7f ff ff", 0x7fffff},
        {9'000'000, "7f ff ff", 0x7fffff},
        {-0x800000, "80 00 00", -0x800000},
        {-9'000'000, "80 00 00", -0x800000},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.lost);
        const ReportBlock block{.ssrc = 1, .cumulative_lost = c.lost};
        std::array<std::uint8_t, 32> buffer{};
        ASSERT_EQ(write_receiver_report(buffer, {.ssrc = 2, .report_blocks = {&block, 1}}), 32U);
        EXPECT_EQ(std::vector<std::uint8_t>(buffer.begin() + 13, buffer.begin() + 16), hex(c.wire));
        const auto parsed = parse_rtcp(buffer);
        ASSERT_TRUE(parsed.ok());
        EXPECT_EQ(parsed->begin()->receiver_report().report_blocks[0].cumulative_lost, c.parsed);
    }
}

TEST(RtcpBuild, RefusesWhatDoesNotFitOrCannotBeEncoded) {
    std::array<std::uint8_t, 1024> buffer{};
    const auto big = std::span{buffer};
    EXPECT_EQ(write_sender_report(big.first(sender_report_size(1) - 1), sender_report), 0U);
    EXPECT_EQ(write_receiver_report(big.first(7), {.ssrc = 1}), 0U);
    EXPECT_EQ(write_sdes_cname(big.first(sdes_cname_size(3) - 1), 1, "abc"), 0U);
    EXPECT_EQ(write_bye(big.first(7), std::array<std::uint32_t, 1>{1}), 0U);

    const std::vector<ReportBlock> too_many(32);
    EXPECT_EQ(write_receiver_report(big, {.ssrc = 1, .report_blocks = too_many}), 0U);
    EXPECT_EQ(write_sender_report(big, {.ssrc = 1, .report_blocks = too_many}), 0U);
    const std::vector<ReportBlock> most(31);
    EXPECT_EQ(write_receiver_report(big, {.ssrc = 1, .report_blocks = most}),
              receiver_report_size(31));
    EXPECT_TRUE(parse_rtcp(big.first(receiver_report_size(31))).ok());

    EXPECT_EQ(write_sdes_cname(big, 1, ""), 0U);
    EXPECT_EQ(write_sdes_cname(big, 1, std::string(256, 'x')), 0U);
    EXPECT_EQ(write_bye(big, std::span<const std::uint32_t>{}), 0U);
}

TEST(RtcpBuild, CnameOfEveryLengthParsesBack) {
    std::array<std::uint8_t, 300> buffer{};
    for (std::size_t length = 1; length <= 255; ++length) {
        SCOPED_TRACE(length);
        const std::string cname(length, 'c');
        const std::size_t rr = write_receiver_report(buffer, {.ssrc = 7});
        const std::size_t sdes = write_sdes_cname(std::span{buffer}.subspan(rr), 7, cname);
        ASSERT_EQ(sdes, sdes_cname_size(length));
        ASSERT_EQ(sdes % 4, 0U);
        const auto parsed = parse_rtcp(std::span{buffer}.first(rr + sdes));
        ASSERT_TRUE(parsed.ok()) << to_string(parsed.error());
        const auto packets = test::collect(parsed.value());
        ASSERT_EQ(packets.size(), 2U);
        EXPECT_EQ(packets[1].sdes().begin()->cname(), cname);
    }
}

static_assert(sdes_cname_size(1) == 12);
static_assert(sdes_cname_size(2) == 16);
static_assert(sdes_cname_size(14) == 28);
static_assert(sender_report_size(0) == 28);
static_assert(receiver_report_size(2) == 56);

} // namespace
} // namespace suflyor::rtp

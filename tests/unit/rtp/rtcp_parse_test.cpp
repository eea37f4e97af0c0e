#include "hex.hpp"
#include "rtcp_vectors.hpp"
#include "rtp/rtp.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace suflyor::rtp {
namespace {

using test::hex;

std::vector<std::uint8_t> concat(std::initializer_list<std::string_view> parts) {
    std::vector<std::uint8_t> out;
    for (const auto part : parts) {
        const auto bytes = hex(part);
        out.insert(out.end(), bytes.begin(), bytes.end());
    }
    return out;
}

std::vector<RtcpPacket> packets_of(const RtcpCompound& compound) { return test::collect(compound); }

TEST(RtcpParse, SenderReportWithSdesCompound) {
    const auto datagram = concat({test::sender_report_hex, test::sdes_cname_tool_hex});
    ASSERT_EQ(datagram.size(), 52U + 36U);
    const auto parsed = parse_rtcp(datagram);
    ASSERT_TRUE(parsed.ok()) << to_string(parsed.error());
    const auto packets = packets_of(parsed.value());
    ASSERT_EQ(packets.size(), 2U);

    ASSERT_TRUE(packets[0].is(RtcpPacketType::sender_report));
    EXPECT_EQ(packets[0].bytes.size(), 52U);
    const SenderReportView sr = packets[0].sender_report();
    EXPECT_EQ(sr.ssrc, 0x5e3d8a11U);
    EXPECT_EQ(sr.sender.ntp, (NtpTimestamp{.seconds = 0xe8fe6f80, .fraction = 0x80000000}));
    EXPECT_EQ(from_ntp(sr.sender.ntp), std::chrono::sys_time<std::chrono::nanoseconds>{
                                           std::chrono::milliseconds{1'700'000'000'500}});
    EXPECT_EQ(sr.sender.rtp_timestamp, 128000U);
    EXPECT_EQ(sr.sender.packet_count, 1000U);
    EXPECT_EQ(sr.sender.octet_count, 160000U);
    ASSERT_EQ(sr.report_blocks.size(), 1U);
    const ReportBlock expected_block{.ssrc = 0x0a0b0c0d,
                                     .fraction_lost = 25,
                                     .cumulative_lost = 7,
                                     .extended_highest_sequence = 0x1002a,
                                     .jitter = 35,
                                     .last_sr = 0x6f7b4000,
                                     .delay_since_last_sr = 0x18000};
    EXPECT_EQ(sr.report_blocks[0], expected_block);
    EXPECT_EQ(*sr.report_blocks.begin(), expected_block);
    EXPECT_TRUE(sr.profile_extension.empty());

    ASSERT_TRUE(packets[1].is(RtcpPacketType::source_description));
    const auto chunks = test::collect(packets[1].sdes());
    ASSERT_EQ(chunks.size(), 1U);
    EXPECT_EQ(chunks[0].ssrc, 0x5e3d8a11U);
    EXPECT_EQ(chunks[0].cname(), "bob@192.0.2.10");
    EXPECT_EQ(chunks[0].find(SdesItemType::tool), "suflyor");
    EXPECT_EQ(chunks[0].find(SdesItemType::email), "");
    const auto items = test::collect(chunks[0].items);
    ASSERT_EQ(items.size(), 2U);
    EXPECT_EQ(items[0].type, SdesItemType::cname);
    EXPECT_EQ(items[1].type, SdesItemType::tool);
    EXPECT_EQ(items[1].text, "suflyor");
}

TEST(RtcpParse, ReceiverReportWithTwoBlocks) {
    const auto datagram = hex(test::receiver_report_two_blocks_hex);
    const auto parsed = parse_rtcp(datagram);
    ASSERT_TRUE(parsed.ok()) << to_string(parsed.error());
    const auto packets = packets_of(parsed.value());
    ASSERT_EQ(packets.size(), 1U);
    ASSERT_TRUE(packets[0].is(RtcpPacketType::receiver_report));
    EXPECT_EQ(packets[0].count, 2);
    const ReceiverReportView rr = packets[0].receiver_report();
    EXPECT_EQ(rr.ssrc, 0x11111111U);
    ASSERT_EQ(rr.report_blocks.size(), 2U);
    EXPECT_EQ(rr.report_blocks[0], (ReportBlock{.ssrc = 0x22222222,
                                                .fraction_lost = 0,
                                                .cumulative_lost = 0,
                                                .extended_highest_sequence = 1000,
                                                .jitter = 0,
                                                .last_sr = 0,
                                                .delay_since_last_sr = 0}));
    EXPECT_EQ(rr.report_blocks[1], (ReportBlock{.ssrc = 0x33333333,
                                                .fraction_lost = 255,
                                                .cumulative_lost = -1,
                                                .extended_highest_sequence = 0x1ffff,
                                                .jitter = 256,
                                                .last_sr = 0x12345678,
                                                .delay_since_last_sr = 0x4000}));
    const auto walked = test::collect(rr.report_blocks);
    ASSERT_EQ(walked.size(), 2U);
    EXPECT_EQ(walked[1], rr.report_blocks[1]);
}

TEST(RtcpParse, WalksEveryPacketTypeAndSkipsUnknownOnes) {
    const auto datagram = concat({test::empty_receiver_report_hex, test::generic_nack_hex,
                                  test::bye_with_reason_hex, test::app_hex,
                                  // XR (207) with an empty body
                                  "80 cf 00 01 | 11 11 11 11"});
    const auto parsed = parse_rtcp(datagram);
    ASSERT_TRUE(parsed.ok()) << to_string(parsed.error());
    const auto packets = packets_of(parsed.value());
    ASSERT_EQ(packets.size(), 5U);
    EXPECT_TRUE(packets[0].is(RtcpPacketType::receiver_report));
    EXPECT_EQ(packets[0].receiver_report().report_blocks.size(), 0U);

    EXPECT_EQ(packets[1].packet_type, 205);
    EXPECT_EQ(packets[1].count, 1); // FMT 1: generic NACK
    EXPECT_EQ(packets[1].body.size(), 12U);

    ASSERT_TRUE(packets[2].is(RtcpPacketType::goodbye));
    const ByeView bye = packets[2].bye();
    ASSERT_EQ(bye.ssrc_count(), 1U);
    EXPECT_EQ(bye.ssrc(0), 0x22222222U);
    EXPECT_TRUE(bye.has_reason);
    EXPECT_EQ(bye.reason, "hangup");

    ASSERT_TRUE(packets[3].is(RtcpPacketType::application));
    const AppView app = packets[3].app();
    EXPECT_EQ(app.subtype, 2);
    EXPECT_EQ(app.ssrc, 0x22222222U);
    EXPECT_EQ(app.name, "SUFL");
    EXPECT_EQ(std::vector<std::uint8_t>(app.data.begin(), app.data.end()), hex("de ad be ef"));

    EXPECT_EQ(packets[4].packet_type, 207);
    // Together the packets cover the datagram exactly.
    EXPECT_EQ(packets[4].bytes.data() + packets[4].bytes.size(), datagram.data() + datagram.size());
}

TEST(RtcpParse, PaddingOnTheLastPacketIsRemovedFromItsBody) {
    const auto datagram = concat({test::empty_receiver_report_hex,
                                  "a1 ca 00 04 | 11 11 11 11 | 01 02 61 62 | 00 00 00 00 |"
                                  "00 00 00 04"});
    const auto parsed = parse_rtcp(datagram);
    ASSERT_TRUE(parsed.ok()) << to_string(parsed.error());
    const auto packets = packets_of(parsed.value());
    ASSERT_EQ(packets.size(), 2U);
    EXPECT_TRUE(packets[1].padding);
    EXPECT_EQ(packets[1].bytes.size(), 20U);
    EXPECT_EQ(packets[1].body.size(), 12U);
    const auto chunk = *packets[1].sdes().begin();
    EXPECT_EQ(chunk.cname(), "ab");
}

TEST(RtcpParse, ByeWithoutReasonAndSdesChunkWithoutItems) {
    const auto datagram =
        concat({test::empty_receiver_report_hex,
                "82 ca 00 04 | 11 11 11 11 | 00 00 00 00 | 22 22 22 22 | 00 00 00 00",
                "82 cb 00 02 | 11 11 11 11 | 22 22 22 22"});
    const auto parsed = parse_rtcp(datagram);
    ASSERT_TRUE(parsed.ok()) << to_string(parsed.error());
    const auto packets = packets_of(parsed.value());
    ASSERT_EQ(packets.size(), 3U);
    const auto chunks = test::collect(packets[1].sdes());
    ASSERT_EQ(chunks.size(), 2U);
    EXPECT_EQ(chunks[1].ssrc, 0x22222222U);
    EXPECT_TRUE(chunks[0].items.empty());
    EXPECT_EQ(chunks[1].cname(), "");
    const ByeView bye = packets[2].bye();
    ASSERT_EQ(bye.ssrc_count(), 2U);
    EXPECT_EQ(bye.ssrc(1), 0x22222222U);
    EXPECT_FALSE(bye.has_reason);
}

struct BadCase {
    std::string name;
    std::vector<std::uint8_t> datagram;
    RtcpError error;
};

TEST(RtcpParse, MalformedCompounds) {
    const auto rr = test::empty_receiver_report_hex;
    const std::vector<BadCase> cases = {
        {"empty", {}, RtcpError::too_short},
        {"three_bytes", hex("80 c9 00"), RtcpError::too_short},
        {"version_1", hex("40 c9 00 01 11 11 11 11"), RtcpError::bad_version},
        {"version_3_second", concat({rr, "c0 ca 00 00"}), RtcpError::bad_version},
        {"length_overrun", hex("80 c9 00 02 11 11 11 11"), RtcpError::bad_length},
        {"length_overrun_second", concat({rr, "80 ca 00 05 11 11 11 11"}), RtcpError::bad_length},
        {"trailing_two_bytes", concat({rr, "80 ca"}), RtcpError::bad_length},
        {"padding_not_on_last",
         concat({"a0 c9 00 02 11 11 11 11 00 00 00 04", test::sdes_cname_hex}),
         RtcpError::bad_padding},
        {"padding_count_zero", hex("a0 c9 00 02 11 11 11 11 00 00 00 00"), RtcpError::bad_padding},
        {"padding_past_header", hex("a0 c9 00 02 11 11 11 11 00 00 00 09"), RtcpError::bad_padding},
        {"padding_eats_ssrc", hex("a0 c9 00 02 11 11 11 11 00 00 00 08"), RtcpError::bad_report},
        {"sdes_first", hex(test::sdes_cname_hex), RtcpError::bad_first_packet},
        {"bye_first", hex(test::bye_with_reason_hex), RtcpError::bad_first_packet},
        {"nack_first", hex(test::generic_nack_hex), RtcpError::bad_first_packet},
        {"rr_count_2_one_block",
         hex("82 c9 00 07 11 11 11 11 22 22 22 22 00 00 00 00 00 00 03 e8 00 00 00 00 00 00 00 00 "
             "00 00 00 00"),
         RtcpError::bad_report},
        {"sr_without_octet_count",
         hex("80 c8 00 05 5e 3d 8a 11 e8 fe 6f 80 80 00 00 00 00 01 f4 00 00 00 03 e8"),
         RtcpError::bad_report},
        {"rr_without_ssrc", hex("80 c9 00 00"), RtcpError::bad_report},
        {"sdes_item_overrun", concat({rr, "81 ca 00 02 11 11 11 11 01 09 61 62"}),
         RtcpError::bad_sdes},
        {"sdes_no_terminator", concat({rr, "81 ca 00 02 11 11 11 11 01 02 61 62"}),
         RtcpError::bad_sdes},
        {"sdes_fewer_chunks", concat({rr, "82 ca 00 03 11 11 11 11 01 02 61 62 00 00 00 00"}),
         RtcpError::bad_sdes},
        {"sdes_extra_chunk", concat({rr, "80 ca 00 03 11 11 11 11 01 02 61 62 00 00 00 00"}),
         RtcpError::bad_sdes},
        {"sdes_chunk_cut", concat({rr, "81 ca 00 01 11 11"}), RtcpError::bad_length},
        {"bye_fewer_ssrcs", concat({rr, "82 cb 00 01 22 22 22 22"}), RtcpError::bad_bye},
        {"bye_reason_overrun", concat({rr, "81 cb 00 02 22 22 22 22 09 61 62 63"}),
         RtcpError::bad_bye},
        {"app_without_name", concat({rr, "80 cc 00 01 22 22 22 22"}), RtcpError::bad_app},
    };
    for (const BadCase& c : cases) {
        SCOPED_TRACE(c.name);
        const auto parsed = parse_rtcp(c.datagram);
        ASSERT_FALSE(parsed.ok());
        EXPECT_EQ(parsed.error(), c.error) << to_string(parsed.error());
    }
}

} // namespace
} // namespace suflyor::rtp

#include "rtp/rtp.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace suflyor::rtp {
namespace {

using Status = SequenceStatus;

// Feeds sequence numbers with 20 ms of 8 kHz audio each and no network jitter.
std::vector<Status> feed(ReceiveStats& stats, const std::vector<std::uint16_t>& sequences) {
    std::vector<Status> statuses;
    for (const std::uint16_t seq : sequences) {
        const std::uint32_t timestamp = seq * 160U;
        statuses.push_back(stats.on_packet(seq, timestamp, timestamp + 1000));
    }
    return statuses;
}

std::vector<std::uint16_t> range(std::uint16_t first, std::uint16_t last) {
    std::vector<std::uint16_t> out;
    for (std::uint16_t s = first; s != static_cast<std::uint16_t>(last + 1); ++s)
        out.push_back(s);
    return out;
}

TEST(ReceiveStats, InOrderStreamPassesProbationOnItsSecondPacket) {
    ReceiveStats stats;
    EXPECT_FALSE(stats.started());
    EXPECT_FALSE(stats.probation_passed());
    EXPECT_EQ(stats.probation_remaining(), 2);
    EXPECT_EQ(stats.expected(), 0U);

    EXPECT_EQ(stats.on_packet(100, 16000, 17000), Status::probation);
    EXPECT_TRUE(stats.started());
    EXPECT_FALSE(stats.probation_passed());
    EXPECT_EQ(stats.probation_remaining(), 1);

    const auto statuses = feed(stats, range(101, 109));
    EXPECT_EQ(statuses, std::vector<Status>(9, Status::in_order));
    EXPECT_TRUE(stats.probation_passed());
    EXPECT_EQ(stats.probation_remaining(), 0);
    // A.1: the probation packets before the last are not counted; the base is where it passed.
    EXPECT_EQ(stats.base_sequence(), 101);
    EXPECT_EQ(stats.highest_sequence(), 109);
    EXPECT_EQ(stats.extended_highest_sequence(), 109U);
    EXPECT_EQ(stats.cycles(), 0U);
    EXPECT_EQ(stats.received(), 9U);
    EXPECT_EQ(stats.expected(), 9U);
    EXPECT_EQ(stats.cumulative_lost(), 0);
    EXPECT_EQ(stats.jitter(), 0U);
    EXPECT_EQ(stats.close_interval(),
              (LossInterval{.expected = 9, .received = 9, .lost = 0, .fraction_lost = 0}));
}

// Strict source learning: N consecutive packets, any break starts the count again.
TEST(ReceiveStats, ProbationRestartsOnAnyBreakInSequence) {
    ReceiveStats stats{3};
    struct Step {
        std::uint16_t sequence;
        Status status;
        std::uint16_t remaining;
    };
    const std::vector<Step> steps = {
        {10, Status::probation, 2}, {12, Status::probation, 2}, // gap: 12 starts a new run
        {13, Status::probation, 1}, {13, Status::probation, 2}, // duplicate: again
        {14, Status::probation, 1}, {15, Status::in_order, 0},
    };
    for (const Step& step : steps) {
        SCOPED_TRACE(step.sequence);
        EXPECT_EQ(stats.on_packet(step.sequence, 0, 0), step.status);
        EXPECT_EQ(stats.probation_remaining(), step.remaining);
        EXPECT_EQ(stats.probation_passed(), step.remaining == 0);
    }
    EXPECT_EQ(stats.base_sequence(), 15);
    EXPECT_EQ(stats.received(), 1U);
}

TEST(ReceiveStats, MinSequentialOneAcceptsTheFirstPacket) {
    ReceiveStats stats{1};
    EXPECT_EQ(stats.on_packet(7, 0, 0), Status::in_order);
    EXPECT_TRUE(stats.probation_passed());
    EXPECT_EQ(stats.received(), 1U);
    EXPECT_EQ(stats.expected(), 1U);
}

TEST(ReceiveStats, LossAndFractionLostPerInterval) {
    ReceiveStats stats;
    const auto statuses = feed(stats, {1, 2, 3, 5, 6, 9, 10});
    EXPECT_EQ(statuses, (std::vector<Status>{Status::probation, Status::in_order, Status::in_order,
                                             Status::in_order, Status::in_order, Status::in_order,
                                             Status::in_order}));
    EXPECT_EQ(stats.received(), 6U);
    EXPECT_EQ(stats.expected(), 9U); // 2..10
    EXPECT_EQ(stats.cumulative_lost(), 3);
    // 3 of 9: 3 * 256 / 9 = 85.33
    EXPECT_EQ(stats.close_interval(),
              (LossInterval{.expected = 9, .received = 6, .lost = 3, .fraction_lost = 85}));

    feed(stats, {11, 12, 14});
    EXPECT_EQ(stats.cumulative_lost(), 4);
    const ReportBlock block = stats.make_report_block(0xabcdef01, 0x12345678, 0x10000);
    EXPECT_EQ(block, (ReportBlock{.ssrc = 0xabcdef01,
                                  .fraction_lost = 64, // 1 of 4
                                  .cumulative_lost = 4,
                                  .extended_highest_sequence = 14,
                                  .jitter = 0,
                                  .last_sr = 0x12345678,
                                  .delay_since_last_sr = 0x10000}));
    // Nothing new since: an empty interval.
    EXPECT_EQ(stats.close_interval(), LossInterval{});
}

TEST(ReceiveStats, ReorderedPacketIsCountedAndLossIsZero) {
    ReceiveStats stats;
    const auto statuses = feed(stats, {1, 2, 3, 5, 4, 6});
    EXPECT_EQ(statuses[4], Status::late_or_duplicate);
    EXPECT_EQ(statuses[5], Status::in_order);
    EXPECT_EQ(stats.received(), 5U);
    EXPECT_EQ(stats.expected(), 5U);
    EXPECT_EQ(stats.cumulative_lost(), 0);
    EXPECT_EQ(stats.highest_sequence(), 6);
}

TEST(ReceiveStats, DuplicatesAreCountedSoLossGoesNegative) {
    ReceiveStats stats;
    const auto statuses = feed(stats, {1, 2, 3, 3, 2, 4});
    EXPECT_EQ(statuses, (std::vector<Status>{Status::probation, Status::in_order, Status::in_order,
                                             Status::late_or_duplicate, Status::late_or_duplicate,
                                             Status::in_order}));
    EXPECT_EQ(stats.received(), 5U);
    EXPECT_EQ(stats.expected(), 3U);
    EXPECT_EQ(stats.cumulative_lost(), -2); // RFC 3550 §6.4.1: may be negative
    EXPECT_EQ(stats.close_interval(),
              (LossInterval{.expected = 3, .received = 5, .lost = -2, .fraction_lost = 0}));
}

TEST(ReceiveStats, SequenceWrapAt65535CountsACycle) {
    ReceiveStats stats;
    const auto statuses = feed(stats, {65533, 65534, 65535, 1, 0, 2});
    EXPECT_EQ(statuses,
              (std::vector<Status>{Status::probation, Status::in_order, Status::in_order,
                                   Status::in_order, Status::late_or_duplicate, Status::in_order}));
    EXPECT_EQ(stats.cycles(), 1U);
    EXPECT_EQ(stats.highest_sequence(), 2);
    EXPECT_EQ(stats.extended_highest_sequence(), 65536U + 2);
    EXPECT_EQ(stats.base_sequence(), 65534);
    EXPECT_EQ(stats.expected(), 5U); // 65534, 65535, 0, 1, 2
    EXPECT_EQ(stats.received(), 5U);
    EXPECT_EQ(stats.cumulative_lost(), 0);
}

TEST(ReceiveStats, ProbationAcrossTheWrap) {
    ReceiveStats stats;
    EXPECT_EQ(stats.on_packet(65535, 0, 0), Status::probation);
    EXPECT_EQ(stats.on_packet(0, 160, 160), Status::in_order);
    EXPECT_EQ(stats.base_sequence(), 0);
    EXPECT_EQ(stats.cycles(), 0U);
}

TEST(ReceiveStats, BigJumpRestartsOnlyWhenTheNextPacketFollowsIt) {
    ReceiveStats stats;
    feed(stats, range(1, 10));
    ASSERT_EQ(stats.received(), 9U);
    EXPECT_EQ(stats.on_packet(5000, 0, 0), Status::jump_pending);
    EXPECT_EQ(stats.received(), 9U); // not counted
    EXPECT_EQ(stats.highest_sequence(), 10);
    EXPECT_EQ(stats.on_packet(5001, 160, 160), Status::restarted);
    // A.1 init_seq: statistics start over at the confirming packet.
    EXPECT_TRUE(stats.probation_passed());
    EXPECT_EQ(stats.base_sequence(), 5001);
    EXPECT_EQ(stats.received(), 1U);
    EXPECT_EQ(stats.expected(), 1U);
    EXPECT_EQ(stats.on_packet(5002, 320, 320), Status::in_order);
    EXPECT_EQ(stats.close_interval(),
              (LossInterval{.expected = 2, .received = 2, .lost = 0, .fraction_lost = 0}));
}

TEST(ReceiveStats, StrayPacketsNeverRestartTheStream) {
    ReceiveStats stats;
    feed(stats, range(1, 10));
    EXPECT_EQ(stats.on_packet(5000, 0, 0), Status::jump_pending);
    EXPECT_EQ(stats.on_packet(11, 0, 0), Status::in_order);
    EXPECT_EQ(stats.on_packet(7000, 0, 0), Status::jump_pending);
    EXPECT_EQ(stats.on_packet(5001, 0, 0), Status::jump_pending); // follows 5000, not 7000
    EXPECT_EQ(stats.on_packet(12, 0, 0), Status::in_order);
    EXPECT_EQ(stats.received(), 11U);
    EXPECT_EQ(stats.expected(), 11U);
    EXPECT_EQ(stats.base_sequence(), 2);
}

TEST(ReceiveStats, DropoutAndMisorderLimits) {
    struct Case {
        std::uint16_t highest;
        std::uint16_t next;
        Status status;
    };
    const std::vector<Case> cases = {
        {200, 200 + 2999, Status::in_order},     // a gap just under MAX_DROPOUT: loss
        {200, 200 + 3000, Status::jump_pending}, // MAX_DROPOUT
        {200, 101, Status::late_or_duplicate},   // 99 behind
        {200, 100, Status::jump_pending},        // MAX_MISORDER behind
        {10, 60000, Status::jump_pending},       // far behind across the wrap
        {10, 65500, Status::late_or_duplicate},  // 46 behind across the wrap
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.next);
        ReceiveStats stats;
        feed(stats, {static_cast<std::uint16_t>(c.highest - 1), c.highest});
        EXPECT_EQ(stats.on_packet(c.next, 0, 0), c.status);
    }
    ReceiveStats stats;
    feed(stats, {199, 200, 3199});
    EXPECT_EQ(stats.cumulative_lost(), 2998);
}

// A.8: J += (|D| - J) / 16 in its integer form, on arrivals alternating between 0 and 40 units
// (5 ms at 8 kHz) of network delay: 20 packets give J×16 = 450, reported as 28.
TEST(ReceiveStats, JitterOfAKnownArrivalPattern) {
    struct Case {
        std::uint32_t timestamp_origin;
        std::uint32_t arrival_origin;
    };
    // The same pattern with timestamps and arrival clock wrapping through 2^32.
    for (const Case origin : {Case{0, 1000}, Case{0xffff'ff00, 0xffff'fff0}}) {
        ReceiveStats stats;
        double reference = 0; // the floating point formula of RFC 3550 §6.4.1
        for (std::uint16_t i = 0; i < 20; ++i) {
            const std::uint32_t timestamp = origin.timestamp_origin + i * 160U;
            const std::uint32_t delay = (i % 2 == 1) ? 40 : 0;
            const std::uint32_t arrival = origin.arrival_origin + i * 160U + delay;
            ASSERT_NE(stats.on_packet(static_cast<std::uint16_t>(500 + i), timestamp, arrival),
                      Status::jump_pending);
            if (i > 0) reference += (40.0 - reference) / 16.0;
        }
        EXPECT_EQ(stats.jitter(), 28U);
        EXPECT_NEAR(stats.jitter(), reference, 1.0);
    }
}

TEST(ReceiveStats, JitterSmallPatternExactValue) {
    // transit 1000, 1000, 1010, 1000, 1000 → |D| = 0, 10, 10, 0 → J×16 = 0, 10, 19, 18 → 1
    ReceiveStats stats;
    const std::vector<std::uint32_t> arrivals = {1000, 1160, 1330, 1480, 1640};
    for (std::uint16_t i = 0; i < arrivals.size(); ++i)
        stats.on_packet(i, i * 160U, arrivals[i]);
    EXPECT_EQ(stats.jitter(), 1U);
    EXPECT_EQ(stats.make_report_block(1, 0, 0).jitter, 1U);
}

TEST(ReceiveStats, RestartDoesNotTurnTheNewTimestampBaseIntoJitter) {
    ReceiveStats stats;
    for (std::uint16_t i = 0; i < 10; ++i)
        stats.on_packet(i, i * 160U, i * 160U);
    ASSERT_EQ(stats.jitter(), 0U);
    // The sender restarts with a new sequence and a random new timestamp base.
    EXPECT_EQ(stats.on_packet(30000, 0x7000'0000, 1600), Status::jump_pending);
    EXPECT_EQ(stats.on_packet(30001, 0x7000'00a0, 1760), Status::restarted);
    EXPECT_EQ(stats.on_packet(30002, 0x7000'0140, 1920), Status::in_order);
    EXPECT_EQ(stats.jitter(), 0U);
}

} // namespace
} // namespace suflyor::rtp

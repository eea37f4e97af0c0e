// RTCP report timing (RFC 3550 §6.3.1): each interval is the configured mean times a uniform
// factor in [0.5, 1.5) from a per-leg generator, so reports still come on average once per
// interval while legs created in the same instant report in different ticks.
#include "engine_test_support.hpp"
#include "media/engine/leg.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

namespace suflyor::media::test {
namespace {

class EngineRtcpSpread : public EngineIo {};

// Fixed seeds, so these figures are exact for the generator: 20,000 intervals of each stay in
// [0.5, 1.5) × the mean, average the mean within 1 % and fill each tenth of the range evenly
// (2,000 expected per tenth; ±10 % is more than 4 standard deviations).
TEST(RtcpSchedule, IntervalsAreUniformInHalfToOneAndAHalfTimesTheMean) {
    constexpr auto mean = 5000ms;
    constexpr int draws = 20000;
    for (const std::uint64_t seed : {0ULL, 1ULL, 0x1111'0000'7530ULL, ~0ULL}) {
        SCOPED_TRACE(seed);
        RtcpSchedule schedule(seed);
        std::array<int, 10> tenths{};
        double sum_ms = 0;
        for (int i = 0; i < draws; ++i) {
            const auto interval = schedule.next_interval(mean);
            ASSERT_GE(interval, 2500ms);
            ASSERT_LT(interval, 7500ms);
            sum_ms += std::chrono::duration<double, std::milli>(interval).count();
            ++tenths[static_cast<std::size_t>((interval - 2500ms) / 500ms)];
        }
        EXPECT_NEAR(sum_ms / draws, 5000.0, 50.0);
        for (const int count : tenths) {
            EXPECT_GE(count, 1800);
            EXPECT_LE(count, 2200);
        }
    }
    // Per-leg generators: equal seeds give equal sequences, different seeds different ones.
    RtcpSchedule a(42), b(42), c(43);
    for (int i = 0; i < 100; ++i) {
        const auto x = a.next_interval(mean);
        EXPECT_EQ(x, b.next_interval(mean));
        EXPECT_NE(x, c.next_interval(mean));
    }
}

// A deadline follows the previous deadline (no drift from the 20 ms ticks); after a stall longer
// than an interval only one report is due, then the schedule restarts from the current time.
TEST(RtcpSchedule, DeadlinesFollowEachOtherAndAStallGivesOneReport) {
    constexpr auto mean = 1000ms;
    RtcpSchedule schedule(7), reference(7);
    const core::MonoTime start{};
    schedule.start(start, mean);
    core::MonoTime expected = start + reference.next_interval(mean);
    EXPECT_EQ(schedule.due(), expected);
    EXPECT_FALSE(schedule.take_due(expected - 1us, mean));
    EXPECT_TRUE(schedule.take_due(expected + 19ms, mean)); // served by a later tick
    expected += reference.next_interval(mean);
    EXPECT_EQ(schedule.due(), expected);
    EXPECT_FALSE(schedule.take_due(expected - 1us, mean));

    const core::MonoTime late = expected + 10s; // a stall
    EXPECT_TRUE(schedule.take_due(late, mean));
    (void)reference.next_interval(mean); // the interval that fell inside the stall
    EXPECT_EQ(schedule.due(), late + reference.next_interval(mean));
    EXPECT_FALSE(schedule.take_due(late, mean));
}

// Twelve legs made in the same instant, ticked for 60 s at a 1 s interval through real sockets.
TEST_P(EngineRtcpSpread, LegsCreatedTogetherReportAtSpreadTimesOnAverageOncePerInterval) {
    constexpr auto interval = 1000ms;
    constexpr int rooms = 4;
    constexpr std::int64_t run_ms = 60'000;
    EngineConfig config = io_config();
    config.rtcp_interval = interval;
    core::ManualClock clock;
    MediaEngine engine(config, clock);
    Peer peer(suflyor::test::tone_a_hz);
    std::vector<std::unique_ptr<RtcpSocket>> sockets;
    for (int r = 0; r < rooms; ++r) {
        const RoomId room = engine.create_room();
        for (int leg = 0; leg < 3; ++leg) {
            sockets.push_back(std::make_unique<RtcpSocket>());
            LegMedia media = peer.media();
            media.remote_rtcp_port = sockets.back()->port();
            (void)engine.add_leg(room, LegSpec{.media = media});
        }
        engine.set_plan(room, relay_plan());
    }
    pump(engine);

    std::vector<std::vector<std::int64_t>> times(sockets.size());
    for (std::int64_t now_ms = 20; now_ms <= run_ms; now_ms += 20) {
        clock.advance(20ms);
        engine.tick();
        for (std::size_t i = 0; i < sockets.size(); ++i)
            for (std::size_t n = sockets[i]->take().size(); n > 0; --n)
                times[i].push_back(now_ms);
    }

    // Spread: without randomisation all twelve first reports come in the tick at 1,000 ms. With
    // it they fall uniformly over the 50 ticks of 500-1,500 ms; six or more in one tick has a
    // probability of about 3e-6.
    std::map<std::int64_t, int> first_per_tick;
    std::size_t reports = 0;
    std::vector<double> gaps;
    for (const auto& leg : times) {
        ASSERT_FALSE(leg.empty());
        EXPECT_GE(leg.front(), 500);
        EXPECT_LE(leg.front(), 1520);
        ++first_per_tick[leg.front()];
        reports += leg.size();
        for (std::size_t k = 1; k < leg.size(); ++k) {
            const auto gap = leg[k] - leg[k - 1];
            EXPECT_GE(gap, 480);
            EXPECT_LE(gap, 1520);
            gaps.push_back(static_cast<double>(gap));
        }
    }
    const int most =
        std::max_element(first_per_tick.begin(), first_per_tick.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; })
            ->second;
    EXPECT_LE(most, 5);
    EXPECT_GE(first_per_tick.size(), 6U);

    // On average once per interval: 12 legs × 59.5 reports in 60 s (the first comes after one
    // interval on average) = 714; the total's standard deviation is ≈ 8 (simulated), the bounds
    // are more than five of them away.
    EXPECT_GE(reports, 670U);
    EXPECT_LE(reports, 760U);
    // And the intervals stay random (a uniform 500-1,500 ms has a deviation of 289 ms).
    double mean = 0;
    for (const double g : gaps)
        mean += g;
    mean /= static_cast<double>(gaps.size());
    double variance = 0;
    for (const double g : gaps)
        variance += (g - mean) * (g - mean);
    const double deviation = std::sqrt(variance / static_cast<double>(gaps.size()));
    EXPECT_NEAR(mean, 1000.0, 60.0); // its standard deviation is ≈ 11 ms
    EXPECT_GT(deviation, 240.0);
    EXPECT_LT(deviation, 340.0);
}

INSTANTIATE_IO(EngineRtcpSpread);

} // namespace
} // namespace suflyor::media::test

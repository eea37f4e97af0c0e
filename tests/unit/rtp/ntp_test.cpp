#include "core/clock.hpp"
#include "rtp/rtp.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace suflyor::rtp {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::sys_time;

struct NtpCase {
    std::int64_t unix_ms;
    std::uint32_t seconds;
    std::uint32_t fraction;
};

TEST(Ntp, WallTimeToNtp) {
    const std::vector<NtpCase> cases = {
        {0, 2'208'988'800U, 0},                       // Unix epoch
        {946'684'800'000, 0xbc17c200, 0},             // 2000-01-01
        {1'700'000'000'500, 0xe8fe6f80, 0x80000000},  // ManualClock's default start + 0.5 s
        {1'700'000'000'250, 0xe8fe6f80, 0x40000000},  // 0.25 s
        {1'700'000'000'001, 0xe8fe6f80, 4'294'967},   // 1 ms = 4294967.296 units, truncated
        {1'700'000'000'123, 0xe8fe6f80, 528'280'977}, // 0.123 s
        {2'085'978'496'000, 0, 0},                    // 2036-02-07 06:28:16: NTP era 1 begins
        {-2'208'988'800'000, 0, 0},                   // 1900-01-01: NTP era 0 begins
        {-1, 2'208'988'799U, 4'290'672'328},          // 1 ms before the Unix epoch
    };
    for (const NtpCase& c : cases) {
        SCOPED_TRACE(c.unix_ms);
        const NtpTimestamp ntp = to_ntp(core::from_unix_ms(c.unix_ms));
        EXPECT_EQ(ntp.seconds, c.seconds);
        EXPECT_EQ(ntp.fraction, c.fraction);
        if (c.unix_ms >= 0) { // from_ntp covers 1968..2104
            EXPECT_EQ(from_ntp(ntp), sys_time<nanoseconds>{milliseconds{c.unix_ms}});
        }
    }
}

TEST(Ntp, FromAManualClockAndANanosecondTimePoint) {
    core::ManualClock clock;
    clock.advance(milliseconds{1500});
    const NtpTimestamp ntp = to_ntp(clock.wall_now());
    EXPECT_EQ(ntp, (NtpTimestamp{.seconds = 0xe8fe6f81, .fraction = 0x80000000}));
    EXPECT_EQ(ntp.compact(), 0x6f818000U);

    const sys_time<nanoseconds> precise{nanoseconds{1'700'000'000'123'456'789}};
    EXPECT_EQ(from_ntp(to_ntp(precise)), precise);
}

TEST(Ntp, CompactDurations) {
    EXPECT_EQ(to_compact_duration(milliseconds{1500}), 0x18000U);
    EXPECT_EQ(to_compact_duration(milliseconds{250}), 0x4000U);
    EXPECT_EQ(to_compact_duration(nanoseconds{15'258}), 0U); // < 1/65536 s
    EXPECT_EQ(to_compact_duration(nanoseconds{15'259}), 1U);
    EXPECT_EQ(to_compact_duration(milliseconds{-5}), 0U);
    EXPECT_EQ(to_compact_duration(std::chrono::hours{24 * 365}), 0xffffffffU);
    EXPECT_EQ(from_compact_duration(0x18000), std::chrono::microseconds{1'500'000});
    EXPECT_EQ(from_compact_duration(1), std::chrono::microseconds{15});
}

// RFC 3550 §6.4.1, the worked example under "delay since last SR". The RFC prints the result
// as 6.125 s, rounding its LSR 0xb705:2030 to 46853.125 s; exactly it is 0x0006:1fd0.
TEST(Ntp, RoundTripTimeOfRfc3550Example) {
    EXPECT_EQ(round_trip_time(0xb7108000, 0xb7052030, 0x00054000),
              std::chrono::microseconds{6'124'268});
    EXPECT_EQ(round_trip_time(0xb7108000, 0xb7052000, 0x00054000),
              std::chrono::microseconds{6'125'000});
    EXPECT_EQ(round_trip_time(0xb7108000, 0, 0x00054000), std::chrono::microseconds{0});
    EXPECT_EQ(round_trip_time(0xb7108000, 0xb7052030, 0x00100000), std::chrono::microseconds{0});
}

static_assert(NtpTimestamp{.seconds = 0xbc17c200, .fraction = 0x80000000}.compact() == 0xc2008000);

} // namespace
} // namespace suflyor::rtp

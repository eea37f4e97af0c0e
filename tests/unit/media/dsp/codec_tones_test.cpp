// The measuring stick of every audio test: tests/support/tones (tone generator, Goertzel level,
// present/absent judgement). Codec tests rely on these readings, so they are checked first.
#include "support/tones.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace suflyor::test {
namespace {

struct LevelCase {
    double freq_hz;
    int rate;
    double level_dbfs;
    double block_s;
};

constexpr LevelCase level_cases[] = {
    {tone_a_hz, 8000, 0.0, 0.25},   {tone_c_hz, 48000, 0.0, 0.25},  {tone_b_hz, 16000, -20.0, 0.25},
    {tone_a_hz, 8000, -20.0, 0.25}, {tone_c_hz, 8000, -20.0, 0.02}, {tone_a_hz, 48000, -20.0, 0.02},
    {tone_b_hz, 12000, -40.0, 0.1}, {1000.0, 8000, -6.0, 0.25},
};

TEST(Tones, GoertzelReadsASineAtItsOwnLevel) {
    for (const auto& c : level_cases) {
        const auto block = static_cast<std::size_t>(c.block_s * c.rate);
        const auto tone = make_tone(c.freq_hz, c.level_dbfs, c.rate, block);
        EXPECT_NEAR(goertzel_dbfs(tone, c.freq_hz, c.rate), c.level_dbfs, 0.5)
            << c.freq_hz << " Hz at " << c.rate << " Hz, " << c.block_s << " s block";
        // int16 rounding bounds the accuracy at higher levels far below the ±0.5 dB promise.
        if (c.level_dbfs > -30) {
            EXPECT_NEAR(goertzel_dbfs(tone, c.freq_hz, c.rate), c.level_dbfs, 0.05);
        }
    }
}

TEST(Tones, OtherFrequenciesReadFarBelowTheAbsentThreshold) {
    const int rate = 8000;
    const auto tone = make_tone(tone_a_hz, 0.0, rate, rate / 4); // full scale, 0.25 s
    EXPECT_LT(goertzel_dbfs(tone, tone_b_hz, rate), -80.0);
    EXPECT_LT(goertzel_dbfs(tone, tone_c_hz, rate), -80.0);
    // A 20 ms block still separates tones a few hundred Hz apart.
    const auto frame = std::span<const std::int16_t>(tone).first(160);
    EXPECT_LT(goertzel_dbfs(frame, tone_b_hz, rate), -60.0);
}

TEST(Tones, SilenceReadsTheSilenceFloor) {
    const std::vector<std::int16_t> zeros(2000, 0);
    EXPECT_EQ(goertzel_dbfs(zeros, tone_a_hz, 8000), silence_dbfs);
    EXPECT_EQ(rms_dbfs(zeros), silence_dbfs);
}

TEST(Tones, RmsIsSineReferenced) {
    EXPECT_NEAR(rms_dbfs(make_tone(tone_b_hz, 0.0, 16000, 4000)), 0.0, 0.05);
    EXPECT_NEAR(rms_dbfs(make_tone(tone_b_hz, -20.0, 16000, 4000)), -20.0, 0.05);
}

TEST(Tones, GeneratorKeepsItsPhaseAcrossFrames) {
    const auto whole = make_tone(tone_c_hz, -10.0, 8000, 1600);
    ToneGenerator generator(tone_c_hz, -10.0, 8000);
    std::vector<std::int16_t> framed(1600);
    for (std::size_t at = 0; at < framed.size(); at += 160)
        generator.fill(std::span<std::int16_t>(framed).subspan(at, 160));
    EXPECT_EQ(framed, whole);
}

TEST(Tones, AddToSumsTonesAndSaturates) {
    std::vector<std::int16_t> mix(2000, 0);
    ToneGenerator(tone_a_hz, -20.0, 8000).add_to(mix);
    ToneGenerator(tone_c_hz, -20.0, 8000).add_to(mix);
    EXPECT_NEAR(goertzel_dbfs(mix, tone_a_hz, 8000), -20.0, 0.05);
    EXPECT_NEAR(goertzel_dbfs(mix, tone_c_hz, 8000), -20.0, 0.05);

    std::vector<std::int16_t> loud(100, 30000);
    ToneGenerator(tone_a_hz, 0.0, 8000, 1.0).add_to(loud); // sin(1 rad) > 0: pushes past full scale
    EXPECT_EQ(loud.front(), 32767);
}

// 1 s of 443 Hz, then 1 s of silence, then 1 s of 443 + 1777 Hz.
std::vector<std::int16_t> three_phases(int rate) {
    std::vector<std::int16_t> signal(3 * static_cast<std::size_t>(rate), 0);
    auto phase = [&](int index) {
        return std::span<std::int16_t>(signal).subspan(static_cast<std::size_t>(index * rate),
                                                       static_cast<std::size_t>(rate));
    };
    ToneGenerator(tone_a_hz, -20.0, rate).fill(phase(0));
    ToneGenerator(tone_a_hz, -20.0, rate).add_to(phase(2));
    ToneGenerator(tone_c_hz, -20.0, rate).add_to(phase(2));
    return signal;
}

TEST(Tones, CheckTonesPassesEachPhaseWithShortGuards) {
    const int rate = 8000;
    const auto signal = three_phases(rate);
    const ToneThresholds short_guards{.guard_s = 0.125};
    const ToneExpectation first[] = {{tone_a_hz, true}, {tone_c_hz, false}};
    const ToneExpectation second[] = {{tone_a_hz, false}, {tone_c_hz, false}};
    const ToneExpectation third[] = {{tone_a_hz, true}, {tone_c_hz, true}, {tone_b_hz, false}};

    const auto r1 = check_tones(signal, rate, 0.0, 1.0, first, short_guards);
    EXPECT_TRUE(r1.ok) << r1.failures;
    EXPECT_EQ(r1.blocks, 3u); // [0.125, 0.875) holds three whole 0.25 s blocks
    const auto r2 = check_tones(signal, rate, 1.0, 2.0, second, short_guards);
    EXPECT_TRUE(r2.ok) << r2.failures;
    const auto r3 = check_tones(signal, rate, 2.0, 3.0, third, short_guards);
    EXPECT_TRUE(r3.ok) << r3.failures;
}

TEST(Tones, CheckTonesNamesTheFailingBlocks) {
    const int rate = 8000;
    const auto signal = three_phases(rate);
    // Expect 443 Hz all through [0, 2): the second second has none. Default 0.5 s guards leave
    // [0.5, 1.5): block 0.5 and 0.75 pass, 1.0 and 1.25 fail.
    const ToneExpectation tone[] = {{tone_a_hz, true}};
    const auto report = check_tones(signal, rate, 0.0, 2.0, tone);
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.blocks, 4u);
    EXPECT_EQ(std::count(report.failures.begin(), report.failures.end(), '\n'), 2);
    EXPECT_NE(report.failures.find("block at 1 s: 443 Hz"), std::string::npos) << report.failures;
    EXPECT_NE(report.failures.find("block at 1.25 s"), std::string::npos) << report.failures;
}

TEST(Tones, CheckTonesFailsWhenTheGuardsLeaveNoBlock) {
    const auto signal = three_phases(8000);
    const ToneExpectation tone[] = {{tone_a_hz, true}};
    const auto report = check_tones(signal, 8000, 0.0, 1.2, tone); // [0.5, 0.7): under 0.25 s
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.blocks, 0u);
    EXPECT_NE(report.failures.find("no whole"), std::string::npos);
}

} // namespace
} // namespace suflyor::test

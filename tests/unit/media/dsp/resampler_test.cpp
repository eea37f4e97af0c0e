// Resampler: exact frame sizes for every pair of codec rates; a tone keeps frequency and level
// through 8 kHz -> 48 kHz -> 8 kHz; upsampling leaves no images.
#include "media/dsp/codec.hpp"
#include "media/dsp/resampler.hpp"
#include "support/tones.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace suflyor::media {
namespace {

using test::goertzel_dbfs;
using test::ToneGenerator;

constexpr int codec_rates[] = {8000, 12000, 16000, 24000, 48000};

TEST(Resampler, EveryPairOfCodecRatesMapsWholeFramesToWholeFrames) {
    for (const int in_rate : codec_rates) {
        for (const int out_rate : codec_rates) {
            auto resampler = Resampler::create(in_rate, out_rate);
            ASSERT_TRUE(resampler) << in_rate << " -> " << out_rate;
            EXPECT_EQ(resampler->in_frame_samples(), samples_per_frame(in_rate));
            EXPECT_EQ(resampler->out_frame_samples(), samples_per_frame(out_rate));
            ToneGenerator tone(test::tone_a_hz, -20.0, in_rate);
            std::array<std::int16_t, max_frame_samples> in{};
            std::array<std::int16_t, max_frame_samples> out{};
            for (int frame = 0; frame < 100; ++frame) {
                const auto input = std::span(in).first(resampler->in_frame_samples());
                tone.fill(input);
                ASSERT_EQ(
                    resampler->process(input, std::span(out).first(resampler->out_frame_samples())),
                    resampler->out_frame_samples())
                    << in_rate << " -> " << out_rate << " frame " << frame;
            }
        }
    }
}

TEST(Resampler, EqualRatesCopyWithoutDelay) {
    auto same = Resampler::create(16000, 16000);
    ASSERT_TRUE(same);
    EXPECT_EQ(same->latency_samples(), 0);
    const auto tone = test::make_tone(test::tone_b_hz, -3.0, 16000, 320);
    std::vector<std::int16_t> out(320);
    ASSERT_EQ(same->process(tone, out), 320u);
    EXPECT_EQ(out, tone);
}

TEST(Resampler, RefusesRatesWithoutWholeFrames) {
    EXPECT_FALSE(Resampler::create(0, 8000));
    EXPECT_FALSE(Resampler::create(8000, -16000));
    EXPECT_FALSE(Resampler::create(8000, 44110));  // 882.2 samples per 20 ms
    EXPECT_FALSE(Resampler::create(96000, 48000)); // beyond the largest frame
    EXPECT_TRUE(Resampler::create(44100, 48000));
}

TEST(Resampler, WrongFrameSizesAreRefused) {
    auto up = Resampler::create(8000, 48000);
    std::array<std::int16_t, max_frame_samples> in{};
    std::array<std::int16_t, max_frame_samples> out{};
    EXPECT_EQ(up->process(std::span(in).first(159), std::span(out).first(960)), 0u);
    EXPECT_EQ(up->process(std::span(in).first(160), std::span(out).first(959)), 0u);
}

struct Round {
    int outer;
    int inner;
    double freq_hz;
};

constexpr Round round_trips[] = {
    {8000, 48000, test::tone_a_hz}, {8000, 48000, test::tone_c_hz},
    {8000, 16000, test::tone_b_hz}, {16000, 48000, 6000.0},
    {8000, 12000, test::tone_c_hz}, {48000, 8000, test::tone_a_hz}, // down first, then up
};

TEST(Resampler, ToneKeepsFrequencyAndLevelThroughARoundTrip) {
    for (const auto& r : round_trips) {
        auto there = Resampler::create(r.outer, r.inner);
        auto back = Resampler::create(r.inner, r.outer);
        ASSERT_TRUE(there && back);
        ToneGenerator tone(r.freq_hz, -20.0, r.outer);
        std::vector<std::int16_t> middle_audio;
        std::vector<std::int16_t> final_audio;
        std::array<std::int16_t, max_frame_samples> in{};
        std::array<std::int16_t, max_frame_samples> middle{};
        std::array<std::int16_t, max_frame_samples> out{};
        for (int frame = 0; frame < 50; ++frame) { // 1 s
            const auto a = std::span(in).first(samples_per_frame(r.outer));
            const auto b = std::span(middle).first(samples_per_frame(r.inner));
            const auto c = std::span(out).first(samples_per_frame(r.outer));
            tone.fill(a);
            ASSERT_EQ(there->process(a, b), b.size());
            ASSERT_EQ(back->process(b, c), c.size());
            middle_audio.insert(middle_audio.end(), b.begin(), b.end());
            final_audio.insert(final_audio.end(), c.begin(), c.end());
        }
        // Judge the last 0.5 s, past the filters' start-up.
        const auto tail = std::span<const std::int16_t>(final_audio).last(r.outer / 2);
        const auto middle_tail = std::span<const std::int16_t>(middle_audio).last(r.inner / 2);
        EXPECT_NEAR(goertzel_dbfs(tail, r.freq_hz, r.outer), -20.0, 0.5)
            << r.outer << " <-> " << r.inner << " at " << r.freq_hz;
        EXPECT_NEAR(goertzel_dbfs(middle_tail, r.freq_hz, r.inner), -20.0, 0.5);
        // Nothing but the tone: its neighbours on the test grid stay absent.
        for (const double other : {test::tone_a_hz, test::tone_b_hz, test::tone_c_hz}) {
            if (other == r.freq_hz) continue;
            EXPECT_LT(goertzel_dbfs(tail, other, r.outer), -50.0)
                << r.outer << " <-> " << r.inner << " leaks at " << other;
        }
        // Upsampling must not leave the image mirrored around the lower rate's Nyquist.
        if (r.inner > r.outer) {
            const double image = r.outer - r.freq_hz;
            EXPECT_LT(goertzel_dbfs(middle_tail, image, r.inner), -50.0)
                << "image at " << image << " Hz";
        }
    }
}

TEST(Resampler, MixingRateIsTheHighestLegRate) {
    constexpr int g711_room[] = {8000, 8000, 8000};
    constexpr int mixed_room[] = {8000, 16000, 8000};
    constexpr int opus_room[] = {48000, 8000};
    static_assert(mixing_rate(g711_room) == 8000);
    EXPECT_EQ(mixing_rate(mixed_room), 16000);
    EXPECT_EQ(mixing_rate(opus_room), 48000);
    EXPECT_EQ(mixing_rate({}), 0);
}

} // namespace
} // namespace suflyor::media

// Mixer: the plans of SPEC §2 with a distinct tone per input, judged by Goertzel; saturation;
// and mix-minus against a direct reference for arbitrary plans.
#include "media/dsp/mixer.hpp"
#include "support/tones.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace suflyor::media {
namespace {

using test::ToneExpectation;
using test::ToneGenerator;

// Legs of a monitored call and the tone each one speaks.
constexpr std::size_t client = 0;
constexpr std::size_t operator_leg = 1;
constexpr std::size_t supervisor = 2;
constexpr double client_hz = test::tone_a_hz;     // 443
constexpr double operator_hz = test::tone_b_hz;   // 1061
constexpr double supervisor_hz = test::tone_c_hz; // 1777

constexpr LegMask c_bit = leg_bit(client);
constexpr LegMask o_bit = leg_bit(operator_leg);
constexpr LegMask s_bit = leg_bit(supervisor);

struct Hears {
    bool client;
    bool operator_leg;
    bool supervisor;
};

struct PlanCase {
    std::string_view name;
    MixPlan plan;
    std::array<Hears, 3> expected; // per output leg: client, operator, supervisor
};

// SPEC §2. Relayed paths (C<->O outside barge) have no mixed output: the mixer gives silence there
// and the room relays packets instead.
const PlanCase plan_cases[] = {
    {"nothing mixed (no supervisor)", MixPlan{}, {{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}}}},
    {"listen: S hears C+O", MixPlan{{0, 0, c_bit | o_bit}}, {{{0, 0, 0}, {0, 0, 0}, {1, 1, 0}}}},
    {"whisper: O hears C+S, S hears C+O",
     MixPlan{{0, c_bit | s_bit, c_bit | o_bit}},
     {{{0, 0, 0}, {1, 0, 1}, {1, 1, 0}}}},
    {"barge: all minus self",
     MixPlan{{o_bit | s_bit, c_bit | s_bit, c_bit | o_bit}},
     {{{0, 1, 1}, {1, 0, 1}, {1, 1, 0}}}},
};

TEST(Mixer, EachOutputHasExactlyTheTonesOfItsPlan) {
    const int rate = 8000;
    for (const auto& c : plan_cases) {
        Mixer mixer(samples_per_frame(rate));
        std::array<ToneGenerator, 3> voices{ToneGenerator(client_hz, -20.0, rate),
                                            ToneGenerator(operator_hz, -20.0, rate),
                                            ToneGenerator(supervisor_hz, -20.0, rate)};
        std::array<std::vector<std::int16_t>, 3> heard;
        for (int tick = 0; tick < 50; ++tick) { // 1 s
            for (std::size_t leg = 0; leg < 3; ++leg)
                voices[leg].fill(mixer.input(leg));
            mixer.mix(c.plan, c_bit | o_bit | s_bit);
            for (std::size_t leg = 0; leg < 3; ++leg) {
                const auto out = mixer.output(leg);
                heard[leg].insert(heard[leg].end(), out.begin(), out.end());
            }
        }
        for (std::size_t leg = 0; leg < 3; ++leg) {
            const auto& e = c.expected[leg];
            const ToneExpectation tones[] = {{client_hz, e.client},
                                             {operator_hz, e.operator_leg},
                                             {supervisor_hz, e.supervisor}};
            const auto report =
                test::check_tones(heard[leg], rate, 0.0, 1.0, tones, {.guard_s = 0.0});
            EXPECT_TRUE(report.ok) << c.name << ", output " << leg << ":\n" << report.failures;
            EXPECT_EQ(report.blocks, 4u);
            // Mixing does not change a voice's level.
            for (const auto& tone : tones) {
                if (!tone.present) continue;
                EXPECT_NEAR(test::goertzel_dbfs(heard[leg], tone.freq_hz, rate), -20.0, 0.1)
                    << c.name << ", output " << leg << ", " << tone.freq_hz << " Hz";
            }
        }
    }
}

TEST(Mixer, AnInputWithoutAFrameThisTickIsSilence) {
    Mixer mixer(160);
    std::fill_n(mixer.input(client).begin(), 160, std::int16_t{1000});
    std::fill_n(mixer.input(operator_leg).begin(), 160, std::int16_t{200});
    std::fill_n(mixer.input(supervisor).begin(), 160, std::int16_t{30}); // stale: not present
    const MixPlan barge{{o_bit | s_bit, c_bit | s_bit, c_bit | o_bit}};
    mixer.mix(barge, c_bit | o_bit);
    EXPECT_EQ(mixer.output(client)[0], 200);
    EXPECT_EQ(mixer.output(operator_leg)[0], 1000);
    EXPECT_EQ(mixer.output(supervisor)[0], 1200);
}

struct SaturationCase {
    std::array<std::int16_t, 3> inputs;
    std::int16_t expected; // output of a leg hearing all three
};

constexpr SaturationCase saturation_cases[] = {
    {{30000, 30000, 0}, 32767},     {{-30000, -30000, 0}, -32768},
    {{32767, 32767, 32767}, 32767}, {{-32768, -32768, -32768}, -32768},
    {{30000, -30000, 5}, 5},        {{20000, 12767, 0}, 32767},
    {{20000, 12768, 0}, 32767},     {{-20000, -12768, 0}, -32768},
    {{-20000, -12769, 0}, -32768},  {{32767, -32768, 0}, -1},
};

TEST(Mixer, SumsSaturateToInt16) {
    for (const auto& c : saturation_cases) {
        Mixer mixer(160);
        for (std::size_t leg = 0; leg < 3; ++leg)
            std::fill_n(mixer.input(leg).begin(), 160, c.inputs[leg]);
        // Leg 3 has no input of its own and hears all three.
        MixPlan plan{};
        plan.hears[3] = c_bit | o_bit | s_bit;
        mixer.mix(plan, c_bit | o_bit | s_bit);
        const auto out = mixer.output(3);
        EXPECT_TRUE(std::all_of(out.begin(), out.end(), [&](auto s) { return s == c.expected; }))
            << c.inputs[0] << " + " << c.inputs[1] << " + " << c.inputs[2] << " gave " << out[0];
    }
}

TEST(Mixer, EightLegMixMinusSaturatesPerOutput) {
    Mixer mixer(960);
    for (std::size_t leg = 0; leg < max_room_legs; ++leg)
        std::fill_n(mixer.input(leg).begin(), 960, static_cast<std::int16_t>(leg == 0 ? 32767 : 1));
    MixPlan all_minus_self{};
    for (std::size_t leg = 0; leg < max_room_legs; ++leg)
        all_minus_self.hears[leg] = static_cast<LegMask>(0xFF & ~leg_bit(leg));
    mixer.mix(all_minus_self, 0xFF);
    EXPECT_EQ(mixer.output(0)[959], 7); // the seven quiet legs
    for (std::size_t leg = 1; leg < max_room_legs; ++leg)
        EXPECT_EQ(mixer.output(leg)[0], 32767); // 32767 + 6, clipped
}

// Whatever path the mixer takes (copy, direct sum, sum-once-subtract), each output equals the
// saturated direct sum of what it hears.
TEST(Mixer, ArbitraryPlansMatchADirectReference) {
    std::mt19937 random(20240611);
    std::uniform_int_distribution<int> sample(-32768, 32767);
    std::uniform_int_distribution<int> mask(0, 255);
    Mixer mixer(320);
    for (int round = 0; round < 300; ++round) {
        for (std::size_t leg = 0; leg < max_room_legs; ++leg)
            for (auto& s : mixer.input(leg))
                s = static_cast<std::int16_t>(sample(random) / (1 + round % 8));
        MixPlan plan{};
        for (auto& hears : plan.hears)
            hears = static_cast<LegMask>(mask(random));
        if (round % 3 == 0) // every third plan all-hear-all minus self
            for (std::size_t leg = 0; leg < max_room_legs; ++leg)
                plan.hears[leg] = static_cast<LegMask>(0xFF & ~leg_bit(leg));
        const auto present = static_cast<LegMask>(round % 5 == 0 ? mask(random) : 0xFF);
        mixer.mix(plan, present);
        for (std::size_t out = 0; out < max_room_legs; ++out) {
            const auto heard = static_cast<LegMask>(plan.hears[out] & present);
            for (std::size_t i = 0; i < 320; ++i) {
                std::int32_t sum = 0;
                for (std::size_t in = 0; in < max_room_legs; ++in)
                    if (heard & leg_bit(in)) sum += mixer.input(in)[i];
                const auto expected = static_cast<std::int16_t>(std::clamp(sum, -32768, 32767));
                ASSERT_EQ(mixer.output(out)[i], expected)
                    << "round " << round << ", output " << out << ", sample " << i;
            }
        }
    }
}

TEST(Mixer, PlanReportsItsMixedOutputs) {
    EXPECT_EQ(MixPlan{}.outputs(), 0);
    EXPECT_EQ((MixPlan{{0, c_bit | s_bit, c_bit | o_bit}}.outputs()), o_bit | s_bit);
}

} // namespace
} // namespace suflyor::media

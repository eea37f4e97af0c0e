#pragma once
// What a phone (or a recording channel) heard, judged by tone for one window: the audio table's
// present/absent rule (tests/support/tones.hpp) as a GoogleTest expectation with a readable
// failure, and at least four 0.25 s blocks judged.
#include "baresip.hpp"
#include "support/tones.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace suflyor::e2e {

inline void expect_heard(const std::string& what, const WavAudio& heard, double from, double to,
                         std::initializer_list<test::ToneExpectation> tones) {
    const std::vector<test::ToneExpectation> list(tones);
    const auto report = test::check_tones(heard.samples, heard.sample_rate, from, to, list);
    EXPECT_TRUE(report) << what << " [" << from << " s, " << to << " s): " << report.failures;
    EXPECT_GE(report.blocks, 4u) << what;
}

} // namespace suflyor::e2e

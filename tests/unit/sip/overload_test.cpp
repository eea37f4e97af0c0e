// OverloadGuard on a ManualClock: a late probe refuses new calls for `hold`, on time probes do not.
#include "sip/overload.hpp"

#include <gtest/gtest.h>

namespace suflyor::sip {
namespace {

using std::chrono::milliseconds;

TEST(OverloadGuard, ALateProbeRefusesNewCallsForTheHoldTime) {
    core::ManualClock clock;
    OverloadGuard guard(clock, {.probe_period = milliseconds{50},
                                .max_lag = milliseconds{300},
                                .hold = milliseconds{2'000}});
    struct Step {
        milliseconds late; // how late the probe runs
        milliseconds then; // time passing after it before asking
        bool refused;
    };
    const Step steps[] = {
        {milliseconds{0}, milliseconds{0}, false},    // on time
        {milliseconds{300}, milliseconds{0}, false},  // exactly the limit: still fine
        {milliseconds{301}, milliseconds{0}, true},   // past it
        {milliseconds{0}, milliseconds{1'999}, true}, // held although the loop caught up
        {milliseconds{0}, milliseconds{1}, false},    // hold over (2 s after the late probe)
        {milliseconds{5'000}, milliseconds{0}, true}, // a stall of 5 s
        {milliseconds{10}, milliseconds{2'000}, false},
    };
    std::uint64_t refusals = 0;
    for (const auto& step : steps) {
        const auto due = clock.mono_now();
        clock.advance(step.late);
        guard.on_probe(due);
        EXPECT_EQ(guard.last_lag(), step.late);
        clock.advance(step.then);
        EXPECT_EQ(guard.refuse_new_call(), step.refused)
            << "late " << step.late.count() << " ms, then " << step.then.count() << " ms";
        if (step.refused) ++refusals;
    }
    EXPECT_EQ(guard.refused(), refusals);
}

TEST(OverloadGuard, ZeroMaxLagNeverRefuses) {
    core::ManualClock clock;
    OverloadGuard guard(clock, {.max_lag = milliseconds{0}});
    const auto due = clock.mono_now();
    clock.advance(milliseconds{60'000});
    guard.on_probe(due);
    EXPECT_EQ(guard.last_lag(), milliseconds{60'000});
    EXPECT_FALSE(guard.refuse_new_call());
    EXPECT_EQ(guard.refused(), 0u);
}

} // namespace
} // namespace suflyor::sip

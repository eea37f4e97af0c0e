// Overload protection for the control loop: when the loop runs behind, new calls are refused
// with 503 + Retry-After instead of queueing without bound (each queued INVITE is retransmitted
// by the trunk, which adds work exactly when there is none to spare, and the calls already
// accepted slow down for everyone).
//
// The loop's lag is measured by a periodic probe: a timer due every `probe_period` that fires
// late by however long the loop was busy with other work. A probe later than `max_lag` marks the
// loop overloaded for `hold`, so refusals ramp down instead of flapping per probe.
#pragma once

#include "core/clock.hpp"

#include <chrono>
#include <cstdint>

namespace suflyor::sip {

struct OverloadSettings {
    std::chrono::milliseconds probe_period{50};
    std::chrono::milliseconds max_lag{300}; // 0: never refuse
    std::chrono::milliseconds hold{2'000};
};

class OverloadGuard {
public:
    OverloadGuard(const core::Clock& clock, OverloadSettings settings)
        : clock_(clock), settings_(settings) {}

    // A probe that was due at `due` runs now.
    void on_probe(core::MonoTime due);
    // Whether new calls should be refused now; counts the refusal when it says yes.
    bool refuse_new_call();

    [[nodiscard]] std::chrono::milliseconds last_lag() const { return last_lag_; }
    [[nodiscard]] std::uint64_t refused() const { return refused_; }

private:
    const core::Clock& clock_;
    OverloadSettings settings_;
    std::chrono::milliseconds last_lag_{0};
    core::MonoTime overloaded_until_{};
    std::uint64_t refused_ = 0;
};

} // namespace suflyor::sip

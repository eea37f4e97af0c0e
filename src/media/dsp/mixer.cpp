#include "media/dsp/mixer.hpp"

#include <algorithm>
#include <limits>

namespace suflyor::media {
namespace {

constexpr std::int32_t sample_min = std::numeric_limits<std::int16_t>::min();
constexpr std::int32_t sample_max = std::numeric_limits<std::int16_t>::max();

void saturate(const std::int32_t* acc, std::int16_t* out, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<std::int16_t>(std::clamp(acc[i], sample_min, sample_max));
}

void add(std::int32_t* acc, const std::int16_t* in, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i)
        acc[i] += in[i];
}

void subtract(std::int32_t* acc, const std::int16_t* in, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i)
        acc[i] -= in[i];
}

template <class F> void for_each_leg(LegMask mask, F&& f) {
    while (mask != 0) {
        const auto leg = static_cast<std::size_t>(std::countr_zero(mask));
        f(leg);
        mask = static_cast<LegMask>(mask & (mask - 1));
    }
}

} // namespace

Mixer::Mixer(std::size_t frame_samples) noexcept
    : frame_(std::min(frame_samples, max_frame_samples)) {}

std::span<std::int16_t> Mixer::input(std::size_t leg) noexcept {
    return std::span<std::int16_t>(inputs_[leg]).first(frame_);
}

std::span<const std::int16_t> Mixer::output(std::size_t leg) const noexcept {
    return std::span<const std::int16_t>(outputs_[leg]).first(frame_);
}

// Each output costs either |hears| additions (direct) or |all \ hears| subtractions from the
// shared sum of every heard input (mix-minus). All-hear-all rooms take the second path: one sum,
// then one subtraction per leg, O(N) instead of O(N²).
void Mixer::mix(const MixPlan& plan, LegMask present) noexcept {
    LegMask all = 0;
    for (const LegMask hears : plan.hears)
        all |= static_cast<LegMask>(hears & present);

    bool sum_ready = false;
    for (std::size_t leg = 0; leg < max_room_legs; ++leg) {
        auto& out = outputs_[leg];
        const auto hears = static_cast<LegMask>(plan.hears[leg] & present);
        const auto excluded = static_cast<LegMask>(all & ~hears);
        const int direct_cost = std::popcount(hears);
        const int minus_cost = std::popcount(excluded);
        if (hears == 0) {
            std::fill_n(out.begin(), frame_, std::int16_t{0});
        } else if (direct_cost == 1) { // a single input: a copy, nothing to saturate
            const auto& in = inputs_[static_cast<std::size_t>(std::countr_zero(hears))];
            std::copy_n(in.begin(), frame_, out.begin());
        } else if (minus_cost < direct_cost - 1) {
            if (!sum_ready) {
                accumulate_sum(all);
                sum_ready = true;
            }
            mix_minus(excluded, out);
        } else {
            mix_direct(hears, out);
        }
    }
}

void Mixer::accumulate_sum(LegMask inputs) noexcept {
    std::fill_n(sum_.begin(), frame_, 0);
    for_each_leg(inputs, [&](std::size_t leg) { add(sum_.data(), inputs_[leg].data(), frame_); });
}

void Mixer::mix_direct(LegMask inputs, Frame& out) noexcept {
    std::fill_n(scratch_.begin(), frame_, 0);
    for_each_leg(inputs,
                 [&](std::size_t leg) { add(scratch_.data(), inputs_[leg].data(), frame_); });
    saturate(scratch_.data(), out.data(), frame_);
}

void Mixer::mix_minus(LegMask excluded, Frame& out) noexcept {
    std::copy_n(sum_.begin(), frame_, scratch_.begin());
    for_each_leg(excluded,
                 [&](std::size_t leg) { subtract(scratch_.data(), inputs_[leg].data(), frame_); });
    saturate(scratch_.data(), out.data(), frame_);
}

} // namespace suflyor::media

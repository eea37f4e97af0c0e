#pragma once
// The room mixer: one 20 ms frame in per leg, one frame out per leg that hears anything. A plan
// gives, per output leg, the set of inputs it hears; the mixer knows nothing of modes. Sums run in
// int32 and saturate to int16. Fixed arrays, no allocation after construction.
#include "media/dsp/codec.hpp"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>

namespace suflyor::media {

inline constexpr std::size_t max_room_legs = 8;

// Bit i set = input of leg i.
using LegMask = std::uint8_t;
static_assert(sizeof(LegMask) * 8 >= max_room_legs);

[[nodiscard]] constexpr LegMask leg_bit(std::size_t leg) noexcept {
    return static_cast<LegMask>(1u << leg);
}

struct MixPlan {
    std::array<LegMask, max_room_legs> hears{}; // hears[o]: inputs mixed into output o

    [[nodiscard]] constexpr LegMask outputs() const noexcept {
        LegMask mask = 0;
        for (std::size_t leg = 0; leg < max_room_legs; ++leg)
            if (hears[leg] != 0) mask |= leg_bit(leg);
        return mask;
    }
    friend constexpr bool operator==(const MixPlan&, const MixPlan&) = default;
};

class Mixer {
public:
    // frame_samples: 20 ms at the room rate, at most max_frame_samples.
    explicit Mixer(std::size_t frame_samples) noexcept;

    [[nodiscard]] std::size_t frame_samples() const noexcept { return frame_; }

    // Where the room writes leg `leg`'s decoded frame for this tick (frame_samples() long).
    [[nodiscard]] std::span<std::int16_t> input(std::size_t leg) noexcept;
    // Mixes every output of `plan`, hearing only the inputs in `present` (legs that delivered a
    // frame this tick; the others count as silence). Outputs hearing nothing are silence.
    void mix(const MixPlan& plan, LegMask present) noexcept;
    // Output of leg `leg` after mix().
    [[nodiscard]] std::span<const std::int16_t> output(std::size_t leg) const noexcept;

private:
    using Frame = std::array<std::int16_t, max_frame_samples>;

    void accumulate_sum(LegMask inputs) noexcept;
    void mix_direct(LegMask inputs, Frame& out) noexcept;
    void mix_minus(LegMask excluded, Frame& out) noexcept;

    std::size_t frame_;
    std::array<Frame, max_room_legs> inputs_{};
    std::array<Frame, max_room_legs> outputs_{};
    std::array<std::int32_t, max_frame_samples> sum_{};
    std::array<std::int32_t, max_frame_samples> scratch_{};
};

} // namespace suflyor::media

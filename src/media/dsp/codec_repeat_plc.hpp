#pragma once
// Packet-loss concealment for codecs without their own (G.711, G.722): repeat the last good
// frame with a gain that falls to silence within 100 ms, and fade back in on the next good frame
// so neither edge clicks. Internal to the codecs.
#include "media/dsp/codec.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace suflyor::media::detail {

class RepeatConcealer {
public:
    explicit RepeatConcealer(std::size_t frame_samples) noexcept : frame_(frame_samples) {}

    // Call with every decoded block: fades it in after a loss and keeps its last frame.
    void on_decoded(std::span<std::int16_t> pcm) noexcept;
    // Fills one frame (frame_samples long) of concealment.
    void conceal(std::span<std::int16_t> out) noexcept;
    void reset() noexcept {
        last_.fill(0);
        losses_in_a_row_ = 0;
    }

private:
    std::array<std::int16_t, max_frame_samples> last_{};
    std::size_t frame_;
    int losses_in_a_row_ = 0;
};

} // namespace suflyor::media::detail

#include "media/dsp/codec_repeat_plc.hpp"

#include <algorithm>

namespace suflyor::media::detail {
namespace {

// Gain (Q15) at the end of the 1st, 2nd, ... concealed frame; silence from the 5th on.
constexpr std::array<std::int32_t, 6> fade_gain_q15{32768, 22938, 14746, 8192, 3277, 0};

std::int32_t gain_after(int losses) noexcept {
    const auto index = static_cast<std::size_t>(std::clamp(losses, 0, 5));
    return fade_gain_q15[index];
}

// Scales `pcm` by a gain moving linearly from `from` to `to` (Q15) across the block.
void ramp(std::span<std::int16_t> pcm, std::int32_t from, std::int32_t to) noexcept {
    const auto n = static_cast<std::int64_t>(pcm.size());
    for (std::int64_t i = 0; i < n; ++i) {
        const auto gain = from + (to - from) * (i + 1) / n;
        pcm[static_cast<std::size_t>(i)] =
            static_cast<std::int16_t>((pcm[static_cast<std::size_t>(i)] * gain) >> 15);
    }
}

} // namespace

void RepeatConcealer::on_decoded(std::span<std::int16_t> pcm) noexcept {
    if (losses_in_a_row_ > 0) {
        ramp(pcm.first(std::min(pcm.size(), frame_)), gain_after(losses_in_a_row_), 32768);
        losses_in_a_row_ = 0;
    }
    if (pcm.size() >= frame_) {
        std::copy(pcm.end() - static_cast<std::ptrdiff_t>(frame_), pcm.end(), last_.begin());
    } else { // a short packet: slide the history and append
        std::copy(last_.begin() + static_cast<std::ptrdiff_t>(pcm.size()),
                  last_.begin() + static_cast<std::ptrdiff_t>(frame_), last_.begin());
        std::copy(pcm.begin(), pcm.end(),
                  last_.begin() + static_cast<std::ptrdiff_t>(frame_ - pcm.size()));
    }
}

void RepeatConcealer::conceal(std::span<std::int16_t> out) noexcept {
    auto frame = out.first(frame_);
    std::copy_n(last_.begin(), frame_, frame.begin());
    const auto from = gain_after(losses_in_a_row_);
    if (losses_in_a_row_ < 5) ++losses_in_a_row_;
    ramp(frame, from, gain_after(losses_in_a_row_));
}

} // namespace suflyor::media::detail

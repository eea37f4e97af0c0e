#include "media/dsp/resampler.hpp"

#include "media/dsp/codec.hpp"

#include <speex/speex_resampler.h>

#include <algorithm>
#include <new>

namespace suflyor::media {

std::unique_ptr<Resampler> Resampler::create(int in_rate, int out_rate, int quality) noexcept {
    const auto whole_frames = [](int rate) { return rate > 0 && rate % 50 == 0; };
    if (!whole_frames(in_rate) || !whole_frames(out_rate)) return nullptr;
    if (samples_per_frame(in_rate) > max_frame_samples ||
        samples_per_frame(out_rate) > max_frame_samples)
        return nullptr;
    SpeexResamplerState* state = nullptr;
    if (in_rate != out_rate) {
        int error = RESAMPLER_ERR_SUCCESS;
        state = speex_resampler_init(1, static_cast<spx_uint32_t>(in_rate),
                                     static_cast<spx_uint32_t>(out_rate),
                                     std::clamp(quality, 0, 10), &error);
        if (state == nullptr || error != RESAMPLER_ERR_SUCCESS) {
            if (state != nullptr) speex_resampler_destroy(state);
            return nullptr;
        }
    }
    auto* resampler = new (std::nothrow) Resampler(in_rate, out_rate, state);
    if (resampler == nullptr && state != nullptr) speex_resampler_destroy(state);
    return std::unique_ptr<Resampler>(resampler);
}

Resampler::~Resampler() {
    if (state_ != nullptr) speex_resampler_destroy(state_);
}

std::size_t Resampler::in_frame_samples() const noexcept { return samples_per_frame(in_rate_); }
std::size_t Resampler::out_frame_samples() const noexcept { return samples_per_frame(out_rate_); }

int Resampler::latency_samples() const noexcept {
    return state_ == nullptr ? 0 : speex_resampler_get_output_latency(state_);
}

std::size_t Resampler::process(std::span<const std::int16_t> in,
                               std::span<std::int16_t> out) noexcept {
    if (in.size() != in_frame_samples() || out.size() != out_frame_samples()) return 0;
    if (state_ == nullptr) {
        std::copy(in.begin(), in.end(), out.begin());
        return out.size();
    }
    auto in_len = static_cast<spx_uint32_t>(in.size());
    auto out_len = static_cast<spx_uint32_t>(out.size());
    if (speex_resampler_process_int(state_, 0, in.data(), &in_len, out.data(), &out_len) !=
        RESAMPLER_ERR_SUCCESS)
        return 0;
    // Rates that are multiples of 50 Hz map a 20 ms frame onto a whole 20 ms frame, so speexdsp
    // consumes and produces everything; pad defensively rather than leave stale samples.
    std::fill(out.begin() + out_len, out.end(), std::int16_t{0});
    return out_len;
}

void Resampler::reset() noexcept {
    if (state_ != nullptr) speex_resampler_reset_mem(state_);
}

} // namespace suflyor::media

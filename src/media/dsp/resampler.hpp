#pragma once
// Sample-rate conversion of 20 ms mono frames between a leg's codec rate and its room's mixing
// rate, over speexdsp. Rates are fixed per instance; process() does no allocation.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

struct SpeexResamplerState_;

namespace suflyor::media {

class Resampler {
public:
    // speexdsp quality 0..10; 4 is transparent for telephone speech at a modest cost.
    static constexpr int default_quality = 4;

    // nullptr if a rate is not a positive multiple of 50 Hz (20 ms frames must be whole samples)
    // or speexdsp refuses. Equal rates give a plain copy.
    [[nodiscard]] static std::unique_ptr<Resampler> create(int in_rate, int out_rate,
                                                           int quality = default_quality) noexcept;
    ~Resampler();
    Resampler(const Resampler&) = delete;
    Resampler& operator=(const Resampler&) = delete;

    // Converts exactly one input frame (in_frame_samples()) into exactly one output frame
    // (out_frame_samples()). Returns the samples speexdsp produced (always a whole frame for
    // rates that are multiples of 50 Hz; any shortfall is zero-filled), 0 if a span has the
    // wrong size.
    // The filter delays the signal by a fixed latency_samples() of the output rate.
    std::size_t process(std::span<const std::int16_t> in, std::span<std::int16_t> out) noexcept;
    // Forgets the filter history (e.g. when the leg's stream restarts).
    void reset() noexcept;

    [[nodiscard]] int in_rate() const noexcept { return in_rate_; }
    [[nodiscard]] int out_rate() const noexcept { return out_rate_; }
    [[nodiscard]] std::size_t in_frame_samples() const noexcept;
    [[nodiscard]] std::size_t out_frame_samples() const noexcept;
    [[nodiscard]] int latency_samples() const noexcept;

private:
    Resampler(int in_rate, int out_rate, SpeexResamplerState_* state) noexcept
        : in_rate_(in_rate), out_rate_(out_rate), state_(state) {}

    int in_rate_;
    int out_rate_;
    SpeexResamplerState_* state_; // null when the rates are equal
};

// The rate a room mixes at: the highest audio rate among its legs, so no leg loses bandwidth
// and an all-G.711 room mixes at 8 kHz without any resampling. 0 for no legs.
[[nodiscard]] constexpr int mixing_rate(std::span<const int> leg_audio_rates) noexcept {
    int highest = 0;
    for (const int rate : leg_audio_rates)
        if (rate > highest) highest = rate;
    return highest;
}

} // namespace suflyor::media

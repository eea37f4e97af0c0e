// G.722 through spandsp: 16 kHz audio at 64 kbit/s, so a payload of n bytes is 2n samples.
#include "media/dsp/codec_factories.hpp"
#include "media/dsp/codec_repeat_plc.hpp"

// telephony.h defines the SPAN_DECLARE that g722.h uses: keep this order.
// clang-format off
#include <spandsp/telephony.h>
#include <spandsp/g722.h>
// clang-format on

#include <new>

namespace suflyor::media::detail {
namespace {

constexpr int g722_bitrate = 64000;

class G722Encoder final : public Encoder {
public:
    G722Encoder(const CodecParams& params, g722_encode_state_t* state) noexcept
        : Encoder(params), state_(state) {}
    ~G722Encoder() override { g722_encode_free(state_); }

    CodecResult encode(std::span<const std::int16_t> frame,
                       std::span<std::uint8_t> out) noexcept override {
        if (frame.size() != frame_samples()) return {0, CodecStatus::bad_frame_size};
        if (out.size() < frame.size() / 2) return {0, CodecStatus::buffer_too_small};
        const int bytes =
            g722_encode(state_, out.data(), frame.data(), static_cast<int>(frame.size()));
        if (bytes < 0) return {0, CodecStatus::codec_failure};
        return {static_cast<std::size_t>(bytes), CodecStatus::ok};
    }

private:
    g722_encode_state_t* state_;
};

class G722Decoder final : public Decoder {
public:
    G722Decoder(const CodecParams& params, g722_decode_state_t* state) noexcept
        : Decoder(params), state_(state), concealer_(frame_samples()) {}
    ~G722Decoder() override { g722_decode_free(state_); }

    CodecResult decode(std::span<const std::uint8_t> payload,
                       std::span<std::int16_t> out) noexcept override {
        if (payload.empty()) return {0, CodecStatus::bad_payload};
        if (out.size() < payload.size() * 2) return {0, CodecStatus::buffer_too_small};
        const int samples =
            g722_decode(state_, out.data(), payload.data(), static_cast<int>(payload.size()));
        if (samples < 0) return {0, CodecStatus::codec_failure};
        const auto count = static_cast<std::size_t>(samples);
        concealer_.on_decoded(out.first(count));
        return {count, CodecStatus::ok};
    }

    CodecResult conceal(std::span<std::int16_t> out) noexcept override {
        if (out.size() < frame_samples()) return {0, CodecStatus::buffer_too_small};
        concealer_.conceal(out);
        return {frame_samples(), CodecStatus::ok};
    }

    void reset() noexcept override {
        g722_decode_init(state_, g722_bitrate, 0); // re-initialises in place, no allocation
        concealer_.reset();
    }

private:
    g722_decode_state_t* state_;
    RepeatConcealer concealer_;
};

} // namespace

std::unique_ptr<Encoder> make_g722_encoder(const CodecParams& params) noexcept {
    auto* state = g722_encode_init(nullptr, g722_bitrate, 0);
    if (state == nullptr) return nullptr;
    auto* encoder = new (std::nothrow) G722Encoder(params, state);
    if (encoder == nullptr) g722_encode_free(state);
    return std::unique_ptr<Encoder>(encoder);
}

std::unique_ptr<Decoder> make_g722_decoder(const CodecParams& params) noexcept {
    auto* state = g722_decode_init(nullptr, g722_bitrate, 0);
    if (state == nullptr) return nullptr;
    auto* decoder = new (std::nothrow) G722Decoder(params, state);
    if (decoder == nullptr) g722_decode_free(state);
    return std::unique_ptr<Decoder>(decoder);
}

} // namespace suflyor::media::detail

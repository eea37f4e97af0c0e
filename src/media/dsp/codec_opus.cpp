// Opus through libopus: mono, VOIP application, 20 ms frames at 8/12/16/24/48 kHz. The decoder's
// concealment is libopus' own PLC (decoding a NULL packet).
#include "media/dsp/codec_factories.hpp"

#include <opus/opus.h>

#include <new>

namespace suflyor::media::detail {
namespace {

// A server encodes for many legs at once; complexity 5 costs about half of the default 9 for
// speech quality that listeners cannot tell apart. Telephone audio (a room mixing phones at 8 or
// 12 kHz) goes through SILK's narrowband modes, where complexity 3 costs 0.65 of 5 (1.9 against
// 2.9 ms per call-second at 8 kHz, docs/performance.md); at 2 a tone's level after a loss came
// back 4 dB off (codec_roundtrip_test), at 3 it does not.
constexpr int encoder_complexity = 5;
constexpr int narrowband_encoder_complexity = 3;
constexpr int complexity_for(int audio_rate) noexcept {
    return audio_rate <= 12000 ? narrowband_encoder_complexity : encoder_complexity;
}
// RFC 6716 §3.2.1: no Opus frame is longer than 1275 bytes.
constexpr int max_packet_bytes = 1275;

class OpusEncoderImpl final : public Encoder {
public:
    OpusEncoderImpl(const CodecParams& params, OpusEncoder* state) noexcept
        : Encoder(params), state_(state) {}
    ~OpusEncoderImpl() override { opus_encoder_destroy(state_); }

    CodecResult encode(std::span<const std::int16_t> frame,
                       std::span<std::uint8_t> out) noexcept override {
        if (frame.size() != frame_samples()) return {0, CodecStatus::bad_frame_size};
        if (out.empty()) return {0, CodecStatus::buffer_too_small};
        const auto capacity = static_cast<opus_int32>(
            out.size() < static_cast<std::size_t>(max_packet_bytes) ? out.size()
                                                                    : max_packet_bytes);
        const opus_int32 bytes =
            opus_encode(state_, frame.data(), static_cast<int>(frame.size()), out.data(), capacity);
        if (bytes == OPUS_BUFFER_TOO_SMALL) return {0, CodecStatus::buffer_too_small};
        if (bytes < 0) return {0, CodecStatus::codec_failure};
        return {static_cast<std::size_t>(bytes), CodecStatus::ok};
    }

private:
    OpusEncoder* state_;
};

class OpusDecoderImpl final : public Decoder {
public:
    OpusDecoderImpl(const CodecParams& params, OpusDecoder* state) noexcept
        : Decoder(params), state_(state) {}
    ~OpusDecoderImpl() override { opus_decoder_destroy(state_); }

    CodecResult decode(std::span<const std::uint8_t> payload,
                       std::span<std::int16_t> out) noexcept override {
        if (payload.empty()) return {0, CodecStatus::bad_payload};
        const int samples =
            opus_decode(state_, payload.data(), static_cast<opus_int32>(payload.size()), out.data(),
                        static_cast<int>(out.size()), 0);
        if (samples == OPUS_BUFFER_TOO_SMALL) return {0, CodecStatus::buffer_too_small};
        if (samples < 0) return {0, CodecStatus::bad_payload};
        return {static_cast<std::size_t>(samples), CodecStatus::ok};
    }

    CodecResult conceal(std::span<std::int16_t> out) noexcept override {
        if (out.size() < frame_samples()) return {0, CodecStatus::buffer_too_small};
        const int samples =
            opus_decode(state_, nullptr, 0, out.data(), static_cast<int>(frame_samples()), 0);
        if (samples < 0) return {0, CodecStatus::codec_failure};
        return {static_cast<std::size_t>(samples), CodecStatus::ok};
    }

    void reset() noexcept override { opus_decoder_ctl(state_, OPUS_RESET_STATE); }

private:
    OpusDecoder* state_;
};

} // namespace

std::unique_ptr<Encoder> make_opus_encoder(const CodecParams& params) noexcept {
    int error = OPUS_OK;
    OpusEncoder* state = opus_encoder_create(params.audio_rate, 1, OPUS_APPLICATION_VOIP, &error);
    if (state == nullptr || error != OPUS_OK) return nullptr;
    bool configured =
        opus_encoder_ctl(state, OPUS_SET_COMPLEXITY(complexity_for(params.audio_rate))) == OPUS_OK;
    if (params.bitrate_bps > 0)
        configured =
            configured && opus_encoder_ctl(state, OPUS_SET_BITRATE(params.bitrate_bps)) == OPUS_OK;
    auto* encoder = configured ? new (std::nothrow) OpusEncoderImpl(params, state) : nullptr;
    if (encoder == nullptr) opus_encoder_destroy(state);
    return std::unique_ptr<Encoder>(encoder);
}

std::unique_ptr<Decoder> make_opus_decoder(const CodecParams& params) noexcept {
    int error = OPUS_OK;
    OpusDecoder* state = opus_decoder_create(params.audio_rate, 1, &error);
    if (state == nullptr || error != OPUS_OK) return nullptr;
    auto* decoder = new (std::nothrow) OpusDecoderImpl(params, state);
    if (decoder == nullptr) opus_decoder_destroy(state);
    return std::unique_ptr<Decoder>(decoder);
}

} // namespace suflyor::media::detail

// PCMU / PCMA: one byte per sample, so a payload of n bytes is n samples at 8 kHz.
#include "media/dsp/codec_factories.hpp"
#include "media/dsp/codec_repeat_plc.hpp"
#include "media/dsp/g711.hpp"

#include <new>

namespace suflyor::media::detail {
namespace {

class G711Encoder final : public Encoder {
public:
    explicit G711Encoder(const CodecParams& params) noexcept : Encoder(params) {}

    CodecResult encode(std::span<const std::int16_t> frame,
                       std::span<std::uint8_t> out) noexcept override {
        if (frame.size() != frame_samples()) return {0, CodecStatus::bad_frame_size};
        if (out.size() < frame.size()) return {0, CodecStatus::buffer_too_small};
        if (codec() == CodecId::pcmu)
            g711::encode_ulaw(frame, out);
        else
            g711::encode_alaw(frame, out);
        return {frame.size(), CodecStatus::ok};
    }
};

class G711Decoder final : public Decoder {
public:
    explicit G711Decoder(const CodecParams& params) noexcept
        : Decoder(params), concealer_(frame_samples()) {}

    CodecResult decode(std::span<const std::uint8_t> payload,
                       std::span<std::int16_t> out) noexcept override {
        if (payload.empty()) return {0, CodecStatus::bad_payload};
        if (out.size() < payload.size()) return {0, CodecStatus::buffer_too_small};
        if (codec() == CodecId::pcmu)
            g711::decode_ulaw(payload, out);
        else
            g711::decode_alaw(payload, out);
        concealer_.on_decoded(out.first(payload.size()));
        return {payload.size(), CodecStatus::ok};
    }

    CodecResult conceal(std::span<std::int16_t> out) noexcept override {
        if (out.size() < frame_samples()) return {0, CodecStatus::buffer_too_small};
        concealer_.conceal(out);
        return {frame_samples(), CodecStatus::ok};
    }

    void reset() noexcept override { concealer_.reset(); }

private:
    RepeatConcealer concealer_;
};

} // namespace

std::unique_ptr<Encoder> make_g711_encoder(const CodecParams& params) noexcept {
    return std::unique_ptr<Encoder>(new (std::nothrow) G711Encoder(params));
}

std::unique_ptr<Decoder> make_g711_decoder(const CodecParams& params) noexcept {
    return std::unique_ptr<Decoder>(new (std::nothrow) G711Decoder(params));
}

} // namespace suflyor::media::detail
